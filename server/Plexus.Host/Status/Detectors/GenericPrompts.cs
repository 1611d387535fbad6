using Plexus.Host.Protocol;

namespace Plexus.Host.Status.Detectors;

/// <summary>
/// Prompts any program can print, so this table applies to every pane. Yes/no confirmations ("[y/N]", "(y/n)",
/// "[Y/n]", "yes/no", "Continue?") are <see cref="WaitingReason.Permission"/>; selections ("Select …",
/// "? Which framework? (Use arrow keys)", a cursor on "1.") are <see cref="WaitingReason.Question"/>;
/// "Press Enter", "Press any key" and password prompts are <see cref="WaitingReason.Input"/>.
/// </summary>
internal static class GenericPrompts
{
    public static AgentDetector Detector { get; } = new("generic")
    {
        IsAgent = false,
        AlwaysApplies = true,

        // Anchored at the end of the row: once answered ("[y/N] y") the prompt no longer asks anything.
        Permission = Patterns.Of(
            @"[\[(][yY](?:es)?/[nN]o?[\])]\??:?$",
            @"(?i)\byes/no\b[\])]?\??:?$",
            @"(?i)\b(?:continue|proceed)\?:?$",
            @"(?i)\bare you sure\b.*\?:?$"),

        Question = Patterns.Of(
            @"^\s*\?\s+\S.*[?:›]",
            @"(?i)\(use arrow keys\)",
            @"(?i)^\s*(?:select|choose|pick)\b",
            @"^\s*[❯›▸►●>]\s*\d+[.)]\s+\S",
            @"^\s*[│┃]\s*\S.*\?\s*[│┃]$"),

        Input = Patterns.Of(
            @"(?i)\bpress (?:enter|return)\b",
            @"(?i)\bpress any key\b",
            @"(?i)\bhit (?:enter|return)\b",
            @"(?i)\b(?:password|passphrase|passcode)\b[^:]*:$"),

        // REPL prompts on the bottom row mean the program waits for its next command, not for an answer.
        BottomPrompt = Patterns.Of(
            @"^(?:>>>|>|In \[\d+\]:|irb\([^)]*\):\d+:\d+>|[\w.-]+=?[#>])$"),
    };
}
