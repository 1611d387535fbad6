using Plexus.Host.Protocol;

namespace Plexus.Host.Agents;

/// <summary>
/// Sets up Plexus's hooks in the user's own settings file, for an agent the user starts by hand in any tmux pane:
/// Claude Code's <c>$CLAUDE_CONFIG_DIR/settings.json</c> (default <c>~/.claude/settings.json</c>), Gemini CLI's
/// <c>$GEMINI_CLI_HOME/.gemini/settings.json</c> (default <c>~/.gemini/settings.json</c>). The only place Plexus
/// writes a user file, and only what the user saw: a write happens when the file still holds the text the preview
/// showed, after a backup copy, through a temporary file and a rename that keeps the file's mode.
/// </summary>
internal sealed class UserHookSettings(Func<string, string?> environment, string home)
{
    /// <summary>The files the host's environment names.</summary>
    public static UserHookSettings ForUser() =>
        new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The settings file of <paramref name="agent"/>; InvalidParams for an agent Plexus cannot set up.</summary>
    public string PathFor(AgentKind agent) => agent switch
    {
        AgentKind.Claude => Path.Combine(Folder("CLAUDE_CONFIG_DIR") ?? Path.Combine(home, ".claude"), "settings.json"),
        AgentKind.Gemini => Path.Combine(Folder("GEMINI_CLI_HOME") ?? home, ".gemini", "settings.json"),
        AgentKind.Codex => throw new PlexusException(
            ErrorCodes.InvalidParams,
            "Codex runs hooks only after the user trusts them in Codex itself (/hooks), which Codex records in its own config: Plexus does not set them up."),
        _ => throw new PlexusException(ErrorCodes.InvalidParams, $"{agent} has no hooks Plexus can set up."),
    };

    public HooksPreview Preview(AgentKind agent, HookChange change)
    {
        var file = PathFor(agent);
        var current = Read(file);
        var proposed = HookSettingsMerge.Propose(agent, change, current, file);
        return new HooksPreview(file, current, proposed, Changed: !ReferenceEquals(proposed, current));
    }

    /// <summary>Applies <paramref name="change"/> when the file still holds <paramref name="expected"/> (null: no file).</summary>
    public ApplyHooksResult Apply(AgentKind agent, HookChange change, string? expected, DateTime utcNow)
    {
        var file = PathFor(agent);
        var current = Read(file);
        if (current != expected)
        {
            throw new PlexusException(ErrorCodes.SettingsChanged, $"{file} is not what the preview showed (it changed since): nothing was written. Preview again.");
        }

        var proposed = HookSettingsMerge.Propose(agent, change, current, file);
        if (ReferenceEquals(proposed, current) || proposed is null)
        {
            return new ApplyHooksResult(file, Changed: false);
        }

        try
        {
            // A settings file linked from a dotfiles repository stays a link: the rename goes to where it points.
            var target = File.Exists(file) ? new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file : file;
            var backup = current is null ? null : Backup(file, target, utcNow);
            Write(target, proposed);
            return new ApplyHooksResult(file, Changed: true, backup);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PlexusException(ErrorCodes.SettingsNotEditable, $"Cannot write {file}: {ex.Message}");
        }
    }

    private string? Folder(string variable) =>
        environment(variable) is { Length: > 0 } folder && Path.IsPathRooted(folder) ? folder : null;

    private static string? Read(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllText(file) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PlexusException(ErrorCodes.SettingsNotEditable, $"Cannot read {file}: {ex.Message}");
        }
    }

    /// <summary>Copies the file's content, with its mode, next to the path the user knows.</summary>
    private static string Backup(string file, string target, DateTime utcNow)
    {
        var stem = $"{file}.plexus-backup-{utcNow:yyyyMMddHHmmss}";
        var backup = stem;
        for (var n = 2; File.Exists(backup) || Directory.Exists(backup); n++)
        {
            backup = $"{stem}-{n}";
        }

        File.Copy(target, backup);
        File.SetUnixFileMode(backup, File.GetUnixFileMode(target));
        return backup;
    }

    /// <summary>
    /// Writes through a temporary file in the same folder and a rename, so an agent starting at that moment reads
    /// the old file or the new one; the new file gets the old one's mode (a new one: owner only, settings can hold keys).
    /// </summary>
    private static void Write(string target, string content)
    {
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var mode = File.Exists(target) ? File.GetUnixFileMode(target) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var temporary = $"{target}.plexus-{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
            }

            // UnixCreateMode is filtered by the umask: set the mode itself.
            File.SetUnixFileMode(temporary, mode);
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
