using Plexus.Host.Protocol;

namespace Plexus.Host.Status;

/// <summary>What the bottom of a pane's visible screen shows.</summary>
internal enum ScreenKind
{
    Busy,
    Waiting,
    Idle,

    /// <summary>The agent reports a failed turn (an API error) and is back at its input: it still runs.</summary>
    Error,
    Unknown,
}

/// <summary>
/// The classifier's reading of one screen. <paramref name="Detail"/> is the trimmed line that decided a
/// Waiting or Busy verdict; <paramref name="Agent"/> names the recognised agent, if any.
/// </summary>
internal sealed record ScreenVerdict(ScreenKind Kind, WaitingReason? Reason = null, string? Detail = null, string? Agent = null);
