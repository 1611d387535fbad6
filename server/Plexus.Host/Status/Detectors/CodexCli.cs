using System.Text.RegularExpressions;
using Plexus.Host.Protocol;

namespace Plexus.Host.Status.Detectors;

/// <summary>
/// OpenAI Codex CLI (the Rust TUI). Busy: "• Working (14s • esc to interrupt)", which stays above the composer.
/// Waiting: approval overlays "Would you like to run the following command?" with "› 1. Yes, proceed (y)" …
/// "3. No, and tell Codex what to do differently (esc)", older "▌ Allow command?" / "Apply changes?" modals,
/// and request-user-input questions. Idle: the composer "› Ask Codex to do anything" with "? for shortcuts".
/// </summary>
internal static class CodexCli
{
    public static AgentDetector Detector { get; } = new("codex")
    {
        Kind = AgentKind.Codex,
        HookVerdict = Hook,
        Title = ReadTitle,

        Commands = ["codex"],

        Markers = Patterns.Of(
            @"OpenAI Codex",
            @"tell Codex what to do differently",
            @"Ask Codex to do anything",
            @"^\s*•\s+Working\s*\("),

        Busy = Patterns.Of(
            @"(?i)\besc to interrupt\b",
            @"(?i)\bctrl\+c to interrupt\b"),

        Permission = Patterns.Of(
            @"Would you like to run the following command\?",
            @"Would you like to make the following edits\?",
            @"Would you like to grant .*\?",
            @"^[\s▌]*Allow command\?",
            @"^[\s▌]*Apply changes\?",
            @"Yes, proceed",
            @"tell Codex what to do differently",
            @"^[\s▌]*[›>]\s*1\.\s*(?:Yes|Approve)\b"),

        Question = Patterns.Of(
            @"(?i)enter to submit (?:answer|all)",
            @"(?i)press enter to confirm or esc to (?:cancel|go back)",
            @"^[\s▌]*›\s*\d+\.\s+\S"),

        // "■ We’re currently experiencing high demand …"; "■ Conversation interrupted" is the user's Esc, not a failure.
        Error = Patterns.Of(@"^■\s(?!Conversation interrupted)\S"),

        Turn = Patterns.Of(@"^›\s\S"),

        // "$ touch /tmp/marker" under "Would you like to run the following command?".
        Subject = Patterns.Of(@"^\$\s+(?<subject>\S.*)$"),

        Idle = Patterns.Of(
            @"^\s*›(?:\s|$)",
            @"^\s*▌\s*Ask Codex",
            @"\? for shortcuts",
            @"(?i)\d+% context left"),
    };

    // Codex 0.169 titles: "⠙ project" (a braille spinner frame, ~10 a second) while working, "[ . ] Action Required |
    // project" alternating with "[ ! ] …" while a permission or question waits, the bare directory name otherwise.
    private static readonly Regex Spinner = Patterns.Compile(@"^[\u2800-\u28FF]\s");
    private static readonly Regex ActionRequired = Patterns.Compile(@"^\[ [.!] \] Action Required\b");

    private static TitleSignal? ReadTitle(string title) =>
        Patterns.IsMatch(ActionRequired, title) ? new TitleSignal(new StatusDecision(SessionStatus.Waiting))
        : Patterns.IsMatch(Spinner, title) ? new TitleSignal(HookVerdicts.Running)
        : null;

    // A question is the request_user_input tool, announced only by PreToolUse; SessionStart fires at the first prompt.
    private static StatusDecision? Hook(HookEvent hook) => hook.Name switch
    {
        "PreToolUse" when hook.ToolName == "request_user_input" => HookVerdicts.Question(hook),
        "PermissionRequest" => HookVerdicts.Permission(hook),
        "SessionStart" or "UserPromptSubmit" or "PreToolUse" or "PostToolUse" => HookVerdicts.Running,
        "Stop" or "Interrupt" => HookVerdicts.Idle,
        "SessionEnd" => HookVerdicts.Ended,
        _ => null,
    };
}
