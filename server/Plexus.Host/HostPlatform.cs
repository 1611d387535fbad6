namespace Plexus.Host;

/// <summary>
/// Which mechanisms this host uses, chosen once at start. Linux has faster ones (a pidfd per pane, /proc); every
/// Unix (macOS included) has the portable ones. <c>PLEXUS_PORTABLE=1</c> forces the portable path on Linux, so the
/// path macOS takes runs in this repository's tests.
/// </summary>
internal static class HostPlatform
{
    public const string ForcePortableVariable = "PLEXUS_PORTABLE";

    /// <summary>Whether the portable path was asked for.</summary>
    public static bool ForcedPortable { get; } = Environment.GetEnvironmentVariable(ForcePortableVariable) == "1";

    /// <summary>
    /// Pane exits through pidfds (Linux 5.3+), reported within milliseconds. Without them the all-sessions
    /// subscription's <c>#{pane_dead}</c>/<c>#{pane_dead_status}</c> reports them, within tmux's once-a-second re-evaluation.
    /// </summary>
    public static bool PidfdPaneExits { get; } = OperatingSystem.IsLinux() && !ForcedPortable;

    /// <summary>A process's open files and children read from /proc (Linux); elsewhere Codex's thread id stays unknown.</summary>
    public static bool ProcFileSystem { get; } = OperatingSystem.IsLinux() && !ForcedPortable;

    /// <summary>One line for the host log saying which path runs.</summary>
    public static string Describe() =>
        (ForcedPortable ? "portable mechanisms (forced by PLEXUS_PORTABLE=1)" : OperatingSystem.IsLinux() ? "Linux mechanisms" : "portable mechanisms")
        + $": pane exits via {(PidfdPaneExits ? "pidfd" : "the subscription's #{pane_dead}")}, Codex thread ids {(ProcFileSystem ? "via /proc" : "not read")}"
        + ", socket via the file watcher, parent via getppid";
}
