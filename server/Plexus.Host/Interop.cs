using System.Runtime.InteropServices;

namespace Plexus.Host;

/// <summary>
/// Every libc call the host makes, in one place. <c>LibraryImport</c> generates the marshalling at compile time;
/// these signatures are plain ints, so the generated code is a direct call.
/// </summary>
internal static partial class Interop
{
    /// <summary>getppid(2): the parent's process id; it changes when the parent dies and the host is re-parented.</summary>
    [LibraryImport("libc", EntryPoint = "getppid")]
    internal static partial int GetParentProcessId();

    /// <summary>getuid(2): the real user id, as tmux uses it in its socket directory (<c>tmux-UID</c>).</summary>
    [LibraryImport("libc", EntryPoint = "getuid")]
    internal static partial uint GetUserId();

    /// <summary>kill(2): sends <paramref name="signal"/> to <paramref name="pid"/>; -1 with errno on failure.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
