namespace Plexus.Host.Protocol;

/// <summary>An expected failure with its protocol error code; turned into a JSON-RPC error in one place.</summary>
public sealed class PlexusException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;

    public static PlexusException ServerUnavailable(string why) =>
        new(ErrorCodes.TmuxServerUnavailable, $"The tmux server is not available: {why}");

    public static PlexusException NotFound(string name) =>
        new(ErrorCodes.SessionNotFound, $"No session is named {Excerpt.Quote(name)}.");
}
