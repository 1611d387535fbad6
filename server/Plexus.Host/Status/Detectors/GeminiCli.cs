using Plexus.Host.Protocol;

namespace Plexus.Host.Status.Detectors;

/// <summary>
/// Google Gemini CLI. Busy: the loading line "⠏ Reticulating splines... (esc to cancel, 8s)"; the timer
/// disappears while a tool waits for confirmation, so that line is not busy. Waiting: "Apply this change?",
/// "Allow execution of: 'npm'?", "Do you want to proceed?" with "● 1. Allow once" / "Yes, allow once" …
/// "No, suggest changes (esc)", and "Waiting for user confirmation...". Idle: the input box
/// "│ >   Type your message or @path/to/file │".
/// </summary>
internal static class GeminiCli
{
    public static AgentDetector Detector { get; } = new("gemini")
    {
        Kind = AgentKind.Gemini,
        HookVerdict = Hook,
        Title = ReadTitle,

        Commands = ["gemini"],

        Markers = Patterns.Of(
            @"Type your message or @path/to/file",
            @"No, suggest changes",
            @"(?i)\(esc to cancel, \d",
            @"(?i)\bno sandbox\b",
            @"(?i)\bgemini-\d[\w.-]*",
            @"Gemini CLI v\d",

            // Gemini prefixes its replies with "✦" (Claude uses "●", Codex "•").
            @"^✦ \S"),

        Busy = Patterns.Of(
            @"(?i)\besc to cancel, \d+"),

        Permission = Patterns.Of(
            @"Apply this change\?",
            @"Allow execution of\b.*\?",
            @"Do you want to proceed\?",
            @"Waiting for user confirmation",
            @"Yes, allow (?:once|always)",
            @"\bAllow once\b",
            @"Allow (?:tool |all server tools )?for this session",
            @"No, suggest changes",
            @"Modify with external editor"),

        // ask_user draws "Answer Questions" and its options inside a box; rows are also tried with the box edges cut.
        Question = Patterns.Of(
            @"^\s*●\s*\d+\.\s+\S",
            @"^Answer Questions$",
            @"(?i)\bEnter to select\b"),

        // "✕ [API Error: {…}]"; Gemini still fires AfterAgent, so only the screen tells the turn failed.
        Error = Patterns.Of(@"^\s*✕\s*\[API Error"),

        Turn = Patterns.Of(@"^ > \S"),

        // "? Shell  touch marker" heads the confirmation box.
        Subject = Patterns.Of(@"^\?\s+\S+\s+(?<subject>\S.*)$"),

        Idle = Patterns.Of(
            @"Type your message or @path/to/file",
            @"^\s*│\s*>\s"),
    };

    // Gemini 0.61 titles, padded with spaces: "◇  Ready (dir)", "✦  Working… (dir)", "✋  Action Required (dir)"
    // (permission and question alike; the hooks or the screen tell which).
    private static TitleSignal? ReadTitle(string title) => title switch
    {
        _ when title.StartsWith("✋", StringComparison.Ordinal) && title.Contains("Action Required", StringComparison.Ordinal) =>
            new TitleSignal(new StatusDecision(SessionStatus.Waiting)),
        _ when title.StartsWith("✦", StringComparison.Ordinal) && title.Contains("Working", StringComparison.Ordinal) =>
            new TitleSignal(HookVerdicts.Running),
        _ when title.StartsWith("◇", StringComparison.Ordinal) && title.Contains("Ready", StringComparison.Ordinal) =>
            new TitleSignal(HookVerdicts.Idle),
        _ => null,
    };

    // ask_user is the question tool; its confirmation, like a shell command's, comes as Notification ToolPermission.
    // AfterAgent also ends a failed turn, so an API error shows only on the screen.
    private static StatusDecision? Hook(HookEvent hook) => hook.Name switch
    {
        "BeforeTool" when hook.ToolName == "ask_user" => HookVerdicts.Question(hook),
        "Notification" when hook.NotificationType == "ToolPermission" => HookVerdicts.Permission(hook, hook.Command is null ? null : "Shell"),
        "BeforeAgent" or "BeforeTool" or "AfterTool" or "PreCompress" or "BeforeModel" or "AfterModel" or "BeforeToolSelection" => HookVerdicts.Running,
        "AfterAgent" => HookVerdicts.Idle,
        "SessionStart" when hook.Source is "startup" or "resume" or "clear" => HookVerdicts.Idle,
        "SessionEnd" => HookVerdicts.Ended,
        _ => null,
    };
}
