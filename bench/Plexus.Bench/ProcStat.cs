using System.Globalization;
using System.Runtime.InteropServices;

namespace Plexus.Bench;

/// <summary>CPU time of a process in clock ticks: its own (utime+stime) and its reaped children's (cutime+cstime).</summary>
internal readonly record struct CpuTicks(long Self, long ReapedChildren);

/// <summary>
/// Reads CPU time and memory of processes from /proc (proc(5)). Times are in clock ticks (usually 10 ms),
/// so a 10 s window resolves 0.1 % of a core.
/// </summary>
internal static class ProcStat
{
    private const int ClockTicksName = 2; // _SC_CLK_TCK on Linux

    public static long TicksPerSecond { get; } = sysconf(ClockTicksName) is > 0 and var ticks ? ticks : 100;

    public static CpuTicks? ReadCpu(int pid)
    {
        var fields = ReadStatFields(pid);
        if (fields is null)
        {
            return null;
        }

        // After "pid (comm)": state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14.
        return new CpuTicks(
            Long(fields[11]) + Long(fields[12]),
            Long(fields[13]) + Long(fields[14]));
    }

    /// <summary>Resident set size in bytes (VmRSS), or 0 when the process is gone.</summary>
    public static long ReadRssBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(text => text.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : Long(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Live direct children of <paramref name="pid"/> with their own CPU ticks.</summary>
    public static Dictionary<int, long> ChildrenTicks(int pid)
    {
        var children = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            var fields = ReadStatFields(candidate);
            if (fields is not null && Long(fields[1]) == pid)
            {
                children[candidate] = Long(fields[11]) + Long(fields[12]);
            }
        }

        return children;
    }

    /// <summary>Percent of one core used by <paramref name="ticks"/> over <paramref name="elapsed"/>.</summary>
    public static double Percent(long ticks, TimeSpan elapsed) => ticks * 100.0 / TicksPerSecond / elapsed.TotalSeconds;

    private static string[]? ReadStatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");

            // The command name may contain spaces and parentheses; it ends at the last ')'.
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Long(string text) => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    [DllImport("libc")]
    private static extern long sysconf(int name);
}
