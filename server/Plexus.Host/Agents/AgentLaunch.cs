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
/// settings layer through <c>GEMINI_CLI_SYSTEM_DEFAULTS_PATH</c>. Codex would stop at startup on a hook-trust
/// dialog and Kiro has no hook surface: both are left to their screens and titles.
/// </summary>
internal sealed class AgentLaunch(AgentHookFiles files)
{
    public const string GeminiDefaultsVariable = "GEMINI_CLI_SYSTEM_DEFAULTS_PATH";

    private static readonly IReadOnlyDictionary<string, string> NoVariables = new Dictionary<string, string>();

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
                return new LaunchPlan(command, AgentKind.Gemini, new Dictionary<string, string> { [GeminiDefaultsVariable] = files.EnsureGeminiDefaults() });
            default:
                return new LaunchPlan(command, program.Agent, NoVariables);
        }
    }
}
