namespace Plexus.Host.Protocol;

/// <summary>JSON-RPC error codes for expected failures; documented in docs/protocol.md.</summary>
public static class ErrorCodes
{
    public const int InvalidParams = -32602;
    public const int InvalidName = -32001;
    public const int SessionNotFound = -32002;
    public const int SessionExists = -32003;
    public const int TmuxNotInstalled = -32004;
    public const int TmuxServerUnavailable = -32005;
    public const int TmuxCommandFailed = -32006;
    public const int SessionStillRunning = -32007;
}
