using System.Globalization;
using System.Text.RegularExpressions;

namespace Plexus.Host.Agents;

/// <summary>
/// The conversation a running Codex CLI is in. Codex runs without Plexus's hooks (they would stop it at start-up for a
/// trust review), but it keeps its conversation's rollout file open while it runs —
/// <c>$CODEX_HOME/sessions/YYYY/MM/DD/rollout-&lt;time&gt;-&lt;thread id&gt;.jsonl</c> (Codex CLI 0.169) — and that thread id
/// is what <c>codex resume</c> takes. Read from the pane's process tree through /proc: syscalls only, no fork, and
/// only when a Codex session's status changes. Without /proc (macOS, or the portable path forced) the id stays
/// unknown and a restore starts a new Codex conversation instead of resuming it.
/// </summary>
internal static partial class CodexThreads
{
    // Codex starts through a wrapper (npm's node shim, a shell): the binary is a few levels below the pane's process.
    private const int MaxDepth = 4;

    /// <summary>The thread id of the Codex conversation open under <paramref name="panePid"/>, or null.</summary>
    public static string? Find(int panePid)
    {
        if (!HostPlatform.ProcFileSystem || panePid <= 0)
        {
            return null;
        }

        var pending = new Queue<(int Pid, int Depth)>([(panePid, 0)]);
        while (pending.TryDequeue(out var next))
        {
            if (ThreadOf(next.Pid) is { } thread)
            {
                return thread;
            }

            if (next.Depth < MaxDepth)
            {
                foreach (var child in Children(next.Pid))
                {
                    pending.Enqueue((child, next.Depth + 1));
                }
            }
        }

        return null;
    }

    private static string? ThreadOf(int pid)
    {
        try
        {
            foreach (var descriptor in Directory.EnumerateFiles($"/proc/{pid}/fd"))
            {
                if (new FileInfo(descriptor).LinkTarget is { } target && RolloutFile().Match(target) is { Success: true } match)
                {
                    return match.Groups["thread"].Value;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process ended, or is not ours to read.
        }

        return null;
    }

    private static IEnumerable<int> Children(int pid)
    {
        try
        {
            // One "children" file per thread; never a recursive walk, which would follow /proc's links to "/".
            return Directory.EnumerateDirectories($"/proc/{pid}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var child) ? child : 0)
                .Where(child => child > 0)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    [GeneratedRegex(@"/sessions/\d{4}/\d{2}/\d{2}/rollout-[^/]*?-(?<thread>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$")]
    private static partial Regex RolloutFile();
}
