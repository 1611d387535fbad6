using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Host.Protocol;

namespace Plexus.Host.Agents;

/// <summary>
/// The hook settings files Plexus owns, in the user's state folder (<c>$XDG_STATE_HOME/plexus</c>, by default
/// <c>~/.local/state/plexus</c>): never a user file, and never inside the extension's versioned folder, which an
/// update replaces while agents still point at it.
/// </summary>
internal sealed class AgentHookFiles(string directory)
{
    /// <summary>Claude Code events Plexus listens to (tests/agents/RESULTS.md shows when each fires).</summary>
    public static IReadOnlyList<string> ClaudeEvents { get; } =
        ["SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest", "PostToolUse", "Notification", "Stop", "StopFailure", "SubagentStop", "SessionEnd"];

    /// <summary>Gemini CLI events Plexus listens to; PreCompress fires every turn and says nothing about status.</summary>
    public static IReadOnlyList<string> GeminiEvents { get; } =
        ["SessionStart", "BeforeAgent", "BeforeTool", "AfterTool", "Notification", "AfterAgent", "SessionEnd"];

    public string Directory => directory;

    public string ClaudeSettingsPath => Path.Combine(directory, "claude-hooks.json");

    public string GeminiDefaultsPath => Path.Combine(directory, "gemini-system-defaults.json");

    /// <summary>The files in the state folder the environment names.</summary>
    public static AgentHookFiles ForUser()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(state) || !Path.IsPathRooted(state))
        {
            state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        }

        return new AgentHookFiles(Path.Combine(state, "plexus"));
    }

    /// <summary>
    /// The <c>hooks</c> object in the nesting Claude Code and Gemini CLI share:
    /// <c>{EVENT: [{matcher, hooks: [{type: command, command, timeout}]}]}</c>. The timeout's unit differs:
    /// seconds for Claude, milliseconds for Gemini (10 there fails every hook).
    /// </summary>
    public static JsonObject HooksObject(AgentKind agent, IEnumerable<string> events, int timeout)
    {
        var hooks = new JsonObject();
        foreach (var hookEvent in events)
        {
            hooks[hookEvent] = new JsonArray(new JsonObject
            {
                ["matcher"] = string.Empty,
                ["hooks"] = new JsonArray(new JsonObject
                {
                    ["type"] = "command",
                    ["command"] = HookCommand.For(agent, hookEvent),
                    ["timeout"] = timeout,
                }),
            });
        }

        return hooks;
    }

    /// <summary>Plexus's <c>hooks</c> object for Claude Code or Gemini CLI, with each agent's events and timeout unit.</summary>
    public static JsonObject HooksFor(AgentKind agent) => agent switch
    {
        AgentKind.Claude => HooksObject(AgentKind.Claude, ClaudeEvents, 10),
        AgentKind.Gemini => HooksObject(AgentKind.Gemini, GeminiEvents, 10_000),
        _ => throw new ArgumentOutOfRangeException(nameof(agent), agent, "Only Claude Code and Gemini CLI take Plexus's hooks."),
    };

    /// <summary>Claude's <c>--settings</c> file: only hooks, which Claude adds to the user's own.</summary>
    public static string ClaudeSettings() =>
        Serialize(new JsonObject { ["hooks"] = HooksFor(AgentKind.Claude) });

    /// <summary>
    /// Gemini's system-defaults layer, the lowest-precedence one: hook lists concatenate across layers
    /// (mergeStrategy "concat" in gemini-cli 0.61.0's settings schema), and every user setting still wins.
    /// </summary>
    public static string GeminiDefaults() =>
        Serialize(new JsonObject { ["hooks"] = HooksFor(AgentKind.Gemini) });

    /// <summary>Writes Claude's settings file when it is missing or different, and returns its path.</summary>
    public string EnsureClaudeSettings() => EnsureWritten(ClaudeSettingsPath, ClaudeSettings());

    /// <summary>Writes Gemini's system-defaults file when it is missing or different, and returns its path.</summary>
    public string EnsureGeminiDefaults() => EnsureWritten(GeminiDefaultsPath, GeminiDefaults());

    public static string Serialize(JsonNode node) =>
        node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    /// <summary>
    /// Writes <paramref name="content"/> through a temporary file and a rename, so an agent starting at that moment
    /// reads the old file or the new one, never half of one; an unchanged file is left alone.
    /// </summary>
    internal static string EnsureWritten(string path, string content)
    {
        try
        {
            if (File.Exists(path) && File.ReadAllText(path) == content)
            {
                return path;
            }
        }
        catch (IOException)
        {
            // Unreadable: write it afresh below.
        }

        // Gemini CLI 0.61.0 skips a settings file when it or any parent folder is writable by group or others
        // ("Security Warning: Skipping system defaults file"), and a umask of 002 is common: set the modes.
        var folder = Path.GetDirectoryName(path)!;
        System.IO.Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
