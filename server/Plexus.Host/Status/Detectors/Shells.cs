namespace Plexus.Host.Status.Detectors;

/// <summary>
/// Interactive shells: the one list of shell names, and their prompt rows. A shell in the foreground means
/// the session's program has returned control, so with nothing else on screen the session is idle.
/// </summary>
internal static class Shells
{
    /// <summary>Command names tmux reports for a shell in the foreground.</summary>
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "bash", "zsh", "fish", "sh", "dash", "ksh", "tcsh", "csh", "nu", "pwsh", "elvish", "xonsh",
    };

    /// <summary>Whether <paramref name="command"/> (tmux <c>pane_current_command</c>) is a shell.</summary>
    public static bool IsShell(string? command) => Names.Contains(DetectorTable.NormalizeCommand(command));

    public static AgentDetector Detector { get; } = new("shell")
    {
        IsAgent = false,
        Commands = [.. Names],

        // Only ever tried on the bottom row, and only for shells, so "50%" at the end of a progress line of
        // another program is not mistaken for a zsh prompt.
        BottomPrompt = Patterns.Of(
            @"^.{0,200}[$#%>❯»λ]$",
            @"^➜\s"),
    };
}
