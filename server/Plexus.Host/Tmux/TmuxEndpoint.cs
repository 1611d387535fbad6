using System.Net.Sockets;

namespace Plexus.Host.Tmux;

/// <summary>
/// Which tmux executable and which server socket the host talks to. The socket is always resolved to a path
/// and passed as <c>-S</c>, so the host, the terminals it attaches and a user typing <c>tmux -L name</c> all reach
/// the same server, whatever <c>$TMUX</c> says in the editor's environment.
/// </summary>
internal sealed record TmuxEndpoint(string? TmuxPath, string SocketPath)
{
    /// <summary>Arguments that select the server, placed before the tmux command.</summary>
    public IReadOnlyList<string> ServerArguments => ["-S", SocketPath];

    public static TmuxEndpoint Resolve(string? tmuxPath, string? socketName, string? socketPath) =>
        new(FindExecutable(tmuxPath ?? "tmux"), ResolveSocketPath(socketName, socketPath));

    /// <summary>As tmux does: <c>-S</c> wins, then <c>-L</c>, then the socket in <c>$TMUX</c>, then "default".</summary>
    internal static string ResolveSocketPath(string? socketName, string? socketPath)
    {
        if (!string.IsNullOrEmpty(socketPath))
        {
            return Path.GetFullPath(socketPath);
        }

        if (string.IsNullOrEmpty(socketName))
        {
            var tmuxVariable = Environment.GetEnvironmentVariable("TMUX");
            if (!string.IsNullOrEmpty(tmuxVariable))
            {
                return tmuxVariable.Split(',')[0];
            }
        }

        var tmpDir = Environment.GetEnvironmentVariable("TMUX_TMPDIR");
        if (string.IsNullOrEmpty(tmpDir))
        {
            tmpDir = "/tmp";
        }

        return Path.Combine(tmpDir, $"tmux-{Interop.GetUserId()}", string.IsNullOrEmpty(socketName) ? "default" : socketName);
    }

    /// <summary>Finds an executable by path or on PATH; null when it does not exist.</summary>
    internal static string? FindExecutable(string nameOrPath)
    {
        if (nameOrPath.Contains('/'))
        {
            return File.Exists(nameOrPath) ? Path.GetFullPath(nameOrPath) : null;
        }

        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, nameOrPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// tmux creates its socket directory (mode 700) only for <c>-L</c>; with <c>-S</c> the directory must exist.
    /// </summary>
    public void EnsureSocketDirectory()
    {
        var directory = Path.GetDirectoryName(SocketPath);
        if (directory is not null && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>
    /// Whether a tmux server accepts connections on <paramref name="socketPath"/>: one connect(2), no fork and no
    /// client attached (a socket file a dead server left behind refuses the connection).
    /// </summary>
    public static bool IsListening(string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
