namespace Plexus.Host.Tmux;

/// <summary>
/// Exact tmux targets. tmux matches a bare <c>-t coder</c> by prefix or pattern, so <c>kill coder</c> could hit
/// <c>coder-1</c>; a leading <c>=</c> asks for the exact name. Commands whose target is a window or pane need the
/// trailing <c>:</c> (the session's current window), or tmux reads the name as a window.
/// </summary>
internal static class Targets
{
    public static string Session(string name) => "=" + name;

    public static string ActivePane(string name) => "=" + name + ":";
}
