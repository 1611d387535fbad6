namespace Plexus.Host.Tmux;

/// <summary>What a failed tmux command means for the session it was about, read from tmux's own words.</summary>
internal enum TmuxFailure
{
    Other,
    SessionNotFound,
    SessionExists,
    PaneStillRunning,
}

/// <summary>
/// tmux refused a command; the message is tmux's own. <see cref="Session"/> names the session the command was
/// about, when the caller knows it; the JSON-RPC layer turns <see cref="Failure"/> into the protocol's error code.
/// </summary>
internal sealed class TmuxCommandException(string message, string? session = null) : Exception(message)
{
    public string? Session { get; } = session;

    public TmuxFailure Failure { get; } = Classify(message);

    // Wording of tmux 3.3a (cmd-find.c, cmd-new-session.c, cmd-respawn-pane.c); "no server running" comes from a
    // forked client whose server went away between two commands.
    private static TmuxFailure Classify(string message) =>
        message.Contains("can't find session", StringComparison.Ordinal)
        || message.Contains("no such session", StringComparison.Ordinal)
        || message.Contains("session not found", StringComparison.Ordinal)
        || message.StartsWith("no server running", StringComparison.Ordinal) ? TmuxFailure.SessionNotFound
        : message.Contains("duplicate session", StringComparison.Ordinal) ? TmuxFailure.SessionExists
        : message.Contains("still active", StringComparison.Ordinal) ? TmuxFailure.PaneStillRunning
        : TmuxFailure.Other;
}
