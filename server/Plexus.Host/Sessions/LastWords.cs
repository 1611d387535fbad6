using Plexus.Host.Agents;

namespace Plexus.Host.Sessions;

/// <summary>What an exited program's session says about why it ended: the last lines it printed.</summary>
internal static class LastWords
{
    private const int Lines = 5;

    /// <summary>The last non-empty lines a program printed, without the line tmux 3.3 adds ("Pane is dead (status 1, …)").</summary>
    public static string FromScreen(IEnumerable<string> screen) =>
        string.Join('\n', screen
            .Select(line => line.TrimEnd())
            .Where(line => line.Length > 0 && !line.StartsWith("Pane is dead", StringComparison.Ordinal))
            .TakeLast(Lines));

    /// <summary>
    /// What the shell would have said for a command it could not run, when the screen kept nothing: tmux 3.3a closes
    /// a pane whose process exited without reading what is still in its pty (a shell's "not found" is printed just
    /// before it exits; 1 to 7 of 200 runs lost it here). 127 and 126 are the shell's own statuses for those.
    /// </summary>
    public static string WhenNothingWasKept(int? exitStatus, string sessionCommand)
    {
        var program = AgentCommandLine.ProgramOf(sessionCommand);
        return exitStatus switch
        {
            127 => program is null ? "command not found (exit status 127)" : $"{program}: command not found",
            126 => program is null ? "command found but not executable (exit status 126)" : $"{program}: not executable",
            _ => string.Empty,
        };
    }
}
