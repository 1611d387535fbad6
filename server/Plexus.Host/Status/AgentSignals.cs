using System.Text.Json;
using System.Text.RegularExpressions;
using Plexus.Host.Protocol;
using Plexus.Host.Status.Detectors;
using Plexus.Host.Tmux;

namespace Plexus.Host.Status;

/// <summary>
/// One hook event as the Plexus hook left it in the pane option <c>@plexus_hook</c>: "&lt;agent&gt; &lt;Event&gt; &lt;payload&gt;",
/// the payload being the hook's stdin JSON cut to 3000 bytes. Fields are null when the payload lacks them.
/// </summary>
internal sealed record HookEvent(
    AgentKind Agent,
    string Name,
    string? ToolName = null,
    string? Command = null,
    string? Question = null,
    string? Message = null,
    string? NotificationType = null,
    string? SessionId = null,
    string? Error = null,
    string? Source = null);

/// <summary>
/// Reads what an agent announces about itself without looking at its screen: the hook event Plexus's hooks
/// store in the pane (pushed to us by the all-sessions subscription, so reading it costs no command) and the
/// pane title the agent sets. Verdicts come from the agents' own tables in <see cref="DetectorTable"/>.
/// </summary>
internal static class AgentSignals
{
    // A payload over 3000 bytes is cut mid-JSON; these pull single string fields out of what is left, taking a
    // value cut short by the end of the payload as it stands.
    private static readonly Dictionary<string, Regex> FieldPatterns = new[]
    {
        "tool_name", "command", "question", "message", "notification_type", "session_id", "error", "file_path", "source",
    }.ToDictionary(name => name, name => Patterns.Compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)"));

    /// <summary>Parses a <c>@plexus_hook</c> value; null when empty or not from a known agent.</summary>
    public static HookEvent? ParseHook(string? value)
    {
        var parts = (value ?? string.Empty).Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || AgentOf(parts[0]) is not { } agent)
        {
            return null;
        }

        var payload = parts.Length == 3 ? parts[2] : string.Empty;
        var fields = ReadFields(payload);
        return new HookEvent(
            agent,
            parts[1],
            ToolName: fields.GetValueOrDefault("tool_name"),
            Command: fields.GetValueOrDefault("command") ?? fields.GetValueOrDefault("file_path"),
            Question: fields.GetValueOrDefault("question"),
            Message: fields.GetValueOrDefault("message"),
            NotificationType: fields.GetValueOrDefault("notification_type"),
            SessionId: fields.GetValueOrDefault("session_id"),
            Error: fields.GetValueOrDefault("error"),
            Source: fields.GetValueOrDefault("source"));
    }

    /// <summary>The status a hook event announces, or null when the event says nothing about it.</summary>
    public static StatusDecision? HookVerdict(HookEvent hook) =>
        Table(hook.Agent)?.HookVerdict?.Invoke(hook);

    /// <summary>The status the pane title announces, and the agent that set it; null when the title says nothing.</summary>
    public static (AgentKind Agent, StatusDecision? Verdict)? TitleVerdict(string? title)
    {
        var text = (title ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            return null;
        }

        foreach (var detector in DetectorTable.All)
        {
            if (detector.Kind is { } kind && detector.Title is { } read && read(text) is { } signal)
            {
                return (kind, signal.Verdict);
            }
        }

        return null;
    }

    /// <summary>Which agent a pane runs, from its foreground command or the agent the screen showed.</summary>
    public static AgentKind? AgentOf(TmuxSessionRow row, string? screenAgent)
    {
        var command = DetectorTable.NormalizeCommand(row.PaneCommand);
        return DetectorTable.All.FirstOrDefault(detector => detector.Kind is not null && detector.IsCommand(command))?.Kind
            ?? AgentOf(screenAgent);
    }

    private static AgentKind? AgentOf(string? name) =>
        DetectorTable.All.FirstOrDefault(detector => detector.Kind is not null && string.Equals(detector.Name, name, StringComparison.OrdinalIgnoreCase))?.Kind;

    private static AgentDetector? Table(AgentKind agent) => DetectorTable.All.FirstOrDefault(detector => detector.Kind == agent);

    private static Dictionary<string, string> ReadFields(string payload)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (payload.Length == 0)
        {
            return fields;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            Collect(document.RootElement, fields);
            return fields;
        }
        catch (JsonException)
        {
            // Cut at 3000 bytes: fall back to the tolerant reader below.
        }

        foreach (var (name, pattern) in FieldPatterns)
        {
            if (Patterns.Match(pattern, payload) is { Success: true } match)
            {
                fields[name] = Unescape(match.Groups[1].Value);
            }
        }

        return fields;
    }

    // The first occurrence of each field wins, outer before inner (tool_input.command, details.command, questions[0].question).
    private static void Collect(JsonElement element, Dictionary<string, string> fields)
    {
        var nested = new List<JsonElement>();
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String && FieldPatterns.ContainsKey(property.Name))
                {
                    fields.TryAdd(property.Name, property.Value.GetString() ?? string.Empty);
                }
                else if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    nested.Add(property.Value);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            nested.AddRange(element.EnumerateArray());
        }

        foreach (var inner in nested)
        {
            Collect(inner, fields);
        }
    }

    private static string Unescape(string raw)
    {
        // A value cut inside an escape ("\u00") cannot be decoded; drop the broken tail.
        for (var cut = raw.Length; cut >= Math.Max(0, raw.Length - 6); cut--)
        {
            try
            {
                return JsonSerializer.Deserialize("\"" + raw[..cut] + "\"", PlexusJsonContext.Default.String) ?? string.Empty;
            }
            catch (JsonException)
            {
            }
        }

        return raw;
    }
}

/// <summary>What a pane title says: the status, or null when it only names the agent.</summary>
internal sealed record TitleSignal(StatusDecision? Verdict);

/// <summary>Shorthands for the per-agent hook tables.</summary>
internal static class HookVerdicts
{
    public static StatusDecision Running { get; } = new(SessionStatus.Running);

    public static StatusDecision Idle { get; } = new(SessionStatus.Idle);

    public static StatusDecision Ended { get; } = new(SessionStatus.Ended);

    public static StatusDecision Permission(HookEvent hook, string? tool = null) =>
        new(SessionStatus.Waiting, WaitingReason.Permission, Describe(tool ?? hook.ToolName, hook.Command) ?? hook.Message);

    public static StatusDecision Question(HookEvent hook) =>
        new(SessionStatus.Waiting, WaitingReason.Question, hook.Question ?? hook.Message);

    public static StatusDecision Failed(HookEvent hook) =>
        new(SessionStatus.Error, Detail: hook.Message ?? hook.Error ?? hook.Name);

    private static string? Describe(string? tool, string? command) =>
        (tool, command) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $"{tool}: {command}",
            (_, { Length: > 0 }) => command,
            ({ Length: > 0 }, _) => tool,
            _ => null,
        };
}
