using Plexus.Host.Protocol;

namespace Plexus.Host.Sessions;

/// <summary>Where the session monitor reports changes; the JSON-RPC layer turns them into notifications.</summary>
internal interface ISessionEvents
{
    void SessionsChanged(IReadOnlyList<Session> sessions);

    void StatusChanged(StatusChangedParams change);
}
