using Plexus.Host.Protocol;

namespace Plexus.Host.Agents;

/// <summary>How to start a session's command so the agent in it reports its hook events.</summary>
/// <param name="Command">The command to run: the user's, with Plexus's arguments inserted after the program word.</param>
/// <param name="Agent">The agent recognised, or null for any other program.</param>
/// <param name="Environment">Variables for the pane (tmux <c>new-window -e</c>), outside the user's command string.</param>
internal sealed record LaunchPlan(string? Command, AgentKind? Agent, IReadOnlyDictionary<string, string> Environment);

/// <summary>
/// Attaches Plexus's hooks to an agent the user starts through Plexus, without editing any user file:
/// Claude Code gets <c>--settings &lt;file&gt;</c> (added to the user's own hooks), Gemini CLI a system-defaults
/// settings layer through <c>GEMINI_CLI_SYSTEM_DEFAULTS_PATH</c> where Gemini accepts one (see <see cref="GeminiFileTrust"/>). Codex would stop at startup on a hook-trust
/// dialog and Kiro has no hook surface: both are left to their screens and titles.
/// </summary>
internal sealed class AgentLaunch(AgentHookFiles files, Func<string, bool> geminiTrusts)
{
    public const string GeminiDefaultsVariable = "GEMINI_CLI_SYSTEM_DEFAULTS_PATH";

    private static readonly IReadOnlyDictionary<string, string> NoVariables = new Dictionary<string, string>();

    private bool warnedGeminiUntrusted;

    public AgentLaunch(AgentHookFiles files)
        : this(files, GeminiFileTrust.Trusts)
    {
    }

    public LaunchPlan Plan(string? command)
    {
        if (AgentCommandLine.Find(command) is not { } program)
        {
            return new LaunchPlan(command, null, NoVariables);
        }

        try
        {
            return PlanFor(command!, program);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without its hooks the agent still runs, and its screen still tells its status.
            HostLog.Warn($"cannot write the hook settings in {files.Directory}: {ex.Message}; starting the agent without Plexus's hooks");
            return new LaunchPlan(command, program.Agent, NoVariables);
        }
    }

    private LaunchPlan PlanFor(string command, AgentProgram program)
    {
        switch (program.Agent)
        {
            case AgentKind.Claude:
                var inserted = " --settings " + AgentCommandLine.ShellQuote(files.EnsureClaudeSettings());

                // A respawn of a command Plexus already rewrote must not add a second --settings.
                var rewritten = command.AsSpan(program.ProgramEnd).StartsWith(inserted, StringComparison.Ordinal)
                    ? command
                    : command.Insert(program.ProgramEnd, inserted);
                return new LaunchPlan(rewritten, AgentKind.Claude, NoVariables);
            case AgentKind.Gemini:
                var defaults = files.EnsureGeminiDefaults();
                if (!geminiTrusts(defaults))
                {
                    // Gemini would skip the layer and print a security warning in the session; without Plexus's
                    // hooks its title and screen still tell the status, and "Set Up Agent Hooks" can add them.
                    if (!warnedGeminiUntrusted)
                    {
                        warnedGeminiUntrusted = true;
                        HostLog.Warn($"Gemini CLI reads a system settings file only when root owns it and every folder above it, so {defaults} is not given to Gemini sessions: they run without Plexus's hooks unless the user's ~/.gemini/settings.json has them");
                    }

                    return new LaunchPlan(command, AgentKind.Gemini, NoVariables);
                }

                return new LaunchPlan(command, AgentKind.Gemini, new Dictionary<string, string> { [GeminiDefaultsVariable] = defaults });
            default:
                return new LaunchPlan(command, program.Agent, NoVariables);
        }
    }
}
