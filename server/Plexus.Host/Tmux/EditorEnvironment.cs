using CliWrap.Builders;

namespace Plexus.Host.Tmux;

/// <summary>
/// The editor's own variables, which must not reach a tmux server Plexus starts: that server outlives the editor,
/// and every shell it ever runs inherits its environment (ELECTRON_RUN_AS_NODE, for one, turns any Electron app
/// started from such a shell into plain Node). The list follows VS Code's own sanitizing of terminal
/// environments (sanitizeProcessEnvironment) plus the Chromium variables its runtime sets.
/// </summary>
internal static class EditorEnvironment
{
    private static readonly string[] Prefixes = ["VSCODE_", "ELECTRON_", "GDK_PIXBUF_", "CHROME_", "SNAP_"];

    private static readonly HashSet<string> Names = ["SNAP", "ORIGINAL_XDG_CURRENT_DESKTOP", "APPLICATION_INSIGHTS_NO_DIAGNOSTIC_CHANNEL", "AMD_ENTRYPOINT", "PIPE_LOGGING", "VERBOSE_LOGGING"];

    public static bool IsEditorVariable(string name) =>
        Names.Contains(name) || Prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Removes the editor's variables; the editor saved the desktop name it replaced, which comes back.</summary>
    public static void Remove(EnvironmentVariablesBuilder environment)
    {
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(IsEditorVariable))
        {
            environment.Set(name, null);
        }

        if (Environment.GetEnvironmentVariable("ORIGINAL_XDG_CURRENT_DESKTOP") is { Length: > 0 } desktop)
        {
            environment.Set("XDG_CURRENT_DESKTOP", desktop);
        }
    }
}
