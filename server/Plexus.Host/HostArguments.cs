using System.Diagnostics.CodeAnalysis;

namespace Plexus.Host;

/// <summary>The host's command line.</summary>
internal sealed record HostArguments(string? TmuxPath, string? SocketName, string? SocketPath, bool Verbose)
{
    public const string Usage =
        "usage: plexus-host [--tmux-path PATH] [--tmux-socket-name NAME | --tmux-socket-path PATH] [--verbose]\n" +
        "Speaks JSON-RPC (docs/protocol.md) on stdin/stdout; logs to stderr.";

    public static bool TryParse(string[] args, [NotNullWhen(true)] out HostArguments? options, [NotNullWhen(false)] out string? problem)
    {
        options = null;
        string? tmuxPath = null, socketName = null, socketPath = null;
        var verbose = false;
        for (var i = 0; i < args.Length; i++)
        {
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--tmux-path": tmuxPath = Value(); break;
                case "--tmux-socket-name": socketName = Value(); break;
                case "--tmux-socket-path": socketPath = Value(); break;
                case "--verbose": verbose = true; continue;
                case "--help" or "-h":
                    problem = string.Empty;
                    return false;
                default:
                    problem = $"unknown argument '{args[i]}'";
                    return false;
            }

            if (string.IsNullOrEmpty(tmuxPath ?? socketName ?? socketPath))
            {
                problem = $"{args[i - 1]} needs a value";
                return false;
            }
        }

        if (socketName is not null && socketPath is not null)
        {
            problem = "give --tmux-socket-name or --tmux-socket-path, not both";
            return false;
        }

        options = new HostArguments(tmuxPath, socketName, socketPath, verbose);
        problem = null;
        return true;
    }
}
