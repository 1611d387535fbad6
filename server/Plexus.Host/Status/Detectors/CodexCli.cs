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
}
