namespace Plexus.Host.Protocol;

/// <summary>JSON-RPC error codes for expected failures; documented in docs/protocol.md.</summary>
public static class ErrorCodes
{
    public const int InvalidParams = -32602;
    public const int InvalidName = 1001;
    public const int SessionNotFound = 1002;
    public const int SessionExists = 1003;
    public const int TmuxNotInstalled = 1004;
    public const int TmuxServerUnavailable = 1005;
    public const int TmuxCommandFailed = 1006;
    public const int SessionStillRunning = 1007;
    public const int UnsupportedProtocolVersion = 1008;
    public const int NotWaiting = 1009;
    public const int SettingsNotEditable = 1010;
    public const int SettingsChanged = 1011;
}
