using System.Runtime.InteropServices;

namespace Plexus.Host;

/// <summary>
/// Ends the host when the process that started it dies, so a crashed editor never leaves a host (and its tmux
/// control client) behind. Linux delivers SIGTERM through PR_SET_PDEATHSIG, which the host handles as a
/// normal stop; stdin reaching EOF covers the same case on a clean exit.
/// </summary>
internal static class ParentWatch
{
    private const int PrSetPdeathsig = 1;
    private const int Sigterm = 15;

    public static void ExitWithParent()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SetProcessControl(PrSetPdeathsig, Sigterm);
        }
    }

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int SetProcessControl(int option, ulong argument);
}
