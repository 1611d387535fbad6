using System.Diagnostics.CodeAnalysis;
using Plexus.Host.Protocol;

namespace Plexus.Host;

/// <summary>What the host was asked to do: serve the protocol, or print its usage or version and exit.</summary>
internal enum HostAction
{
    Serve,
    Help,
    Version,
}

/// <summary>
/// The host's command line. Every value is checked as it is read: a missing value, or an option where a value
/// should be (<c>--tmux-socket-path --verbose</c>), is an error, never a silent fall-back to the default server.
/// </summary>
internal sealed record HostArguments(string? TmuxPath, string? SocketName, string? SocketPath, bool Verbose, HostAction Action = HostAction.Serve, bool RememberSessions = true)
{
    public const string Usage =
        "usage: plexus-host [--tmux-path PATH] [--tmux-socket-name NAME | --tmux-socket-path PATH] [--no-session-records] [--verbose]\n" +
        "       plexus-host --help | --version\n" +
        "Speaks JSON-RPC (docs/protocol.md) on stdin/stdout; logs to stderr.\n" +
        "  --tmux-path PATH         the tmux executable (default: tmux on PATH)\n" +
        "  --tmux-socket-name NAME  the server tmux -L NAME uses\n" +
        "  --tmux-socket-path PATH  the server tmux -S PATH uses (default: the one plain tmux uses)\n" +
        "  --no-session-records     remember no sessions to restore (nothing written)\n" +
        "  --verbose                debug lines on stderr\n" +
        "  --help, -h               this text\n" +
        "  --version                the host's version\n" +
        "Exit codes: 0 after exit, end of input or the parent's death; 1 on a protocol or stream failure; 2 on bad arguments.";

    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out HostArguments? options, [NotNullWhen(false)] out string? problem)
    {
        options = null;
        problem = null;

        // Asking for help is never an error, whatever else the command line says.
        if (args.Any(arg => arg is "--help" or "-h"))
        {
            options = new HostArguments(null, null, null, false, HostAction.Help);
            return true;
        }

        string? tmuxPath = null, socketName = null, socketPath = null;
        var verbose = false;
        var remember = true;
        var version = false;
        for (var i = 0; i < args.Count && problem is null; i++)
        {
            switch (args[i])
            {
                case "--tmux-path":
                    problem = TakeValue(args, ref i, ref tmuxPath);
                    break;
                case "--tmux-socket-name":
                    problem = TakeValue(args, ref i, ref socketName);
                    break;
                case "--tmux-socket-path":
                    problem = TakeValue(args, ref i, ref socketPath);
                    break;
                case "--verbose":
                    verbose = true;
                    break;
                case "--no-session-records":
                    remember = false;
                    break;
                case "--version":
                    version = true;
                    break;
                case var other when other.StartsWith('-'):
                    problem = $"unknown option {Excerpt.Quote(other)}";
                    break;
                default:
                    problem = $"unexpected argument {Excerpt.Quote(args[i])} (options start with --)";
                    break;
            }
        }

        if (problem is null && socketName is not null && socketPath is not null)
        {
            problem = "give --tmux-socket-name or --tmux-socket-path, not both";
        }

        if (problem is not null)
        {
            return false;
        }

        options = new HostArguments(tmuxPath, socketName, socketPath, verbose, version ? HostAction.Version : HostAction.Serve, remember);
        return true;
    }

    /// <summary>Reads the value after the option at <paramref name="i"/>; returns the problem, or null.</summary>
    private static string? TakeValue(IReadOnlyList<string> args, ref int i, ref string? value)
    {
        var option = args[i];
        if (value is not null)
        {
            return $"{option} is given twice";
        }

        if (i + 1 >= args.Count)
        {
            return $"{option} needs a value";
        }

        var next = args[i + 1];
        if (next.Length == 0 || next.StartsWith("--", StringComparison.Ordinal))
        {
            return next.Length == 0 ? $"{option} needs a value, not an empty string" : $"{option} needs a value, but {Excerpt.Quote(next)} follows it";
        }

        value = next;
        i++;
        return null;
    }
}
