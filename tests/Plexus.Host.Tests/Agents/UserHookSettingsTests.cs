using Plexus.Host.Agents;
using Plexus.Host.Protocol;

namespace Plexus.Host.Tests.Agents;

/// <summary>The file side of hook setup, in a throw-away home folder.</summary>
public sealed class UserHookSettingsTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 30, 12, 34, 56, DateTimeKind.Utc);

    private readonly string home = Path.Combine(Path.GetTempPath(), $"plexus-hooksetup-{Guid.NewGuid():N}");
    private readonly Dictionary<string, string> environment = [];

    public UserHookSettingsTests() => Directory.CreateDirectory(home);

    private UserHookSettings Settings => new(variable => environment.GetValueOrDefault(variable), home);

    private string ClaudeFile => Path.Combine(home, ".claude", "settings.json");

    public void Dispose() => Directory.Delete(home, recursive: true);

    [Fact]
    public void Paths_FollowTheAgentsOwnVariables()
    {
        Assert.Equal(ClaudeFile, Settings.PathFor(AgentKind.Claude));
        Assert.Equal(Path.Combine(home, ".gemini", "settings.json"), Settings.PathFor(AgentKind.Gemini));

        environment["CLAUDE_CONFIG_DIR"] = "/elsewhere/claude";
        environment["GEMINI_CLI_HOME"] = "/elsewhere";

        Assert.Equal("/elsewhere/claude/settings.json", Settings.PathFor(AgentKind.Claude));
        Assert.Equal("/elsewhere/.gemini/settings.json", Settings.PathFor(AgentKind.Gemini));
        Assert.Equal(ErrorCodes.InvalidParams, Assert.Throws<PlexusException>(() => Settings.PathFor(AgentKind.Codex)).Code);
        Assert.Equal(ErrorCodes.InvalidParams, Assert.Throws<PlexusException>(() => Settings.PathFor(AgentKind.Kiro)).Code);
    }

    [Fact]
    public void Install_OfAMissingFile_CreatesItAndItsFolder_OwnerOnly_WithoutBackup()
    {
        var preview = Settings.Preview(AgentKind.Claude, HookChange.Install);

        var result = Settings.Apply(AgentKind.Claude, HookChange.Install, preview.Current, Now);

        Assert.Null(preview.Current);
        Assert.True(preview.Changed);
        Assert.Equal(new ApplyHooksResult(ClaudeFile, Changed: true, Backup: null), result);
        Assert.Equal(preview.Proposed, File.ReadAllText(ClaudeFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ClaudeFile));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(ClaudeFile)!));
    }

    [Fact]
    public void Install_KeepsABackupAndTheFileMode_ThenUninstallRestoresTheText()
    {
        const string original = "{\n  \"model\": \"opus\"\n}\n";
        Directory.CreateDirectory(Path.GetDirectoryName(ClaudeFile)!);
        File.WriteAllText(ClaudeFile, original);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(ClaudeFile, mode);

        var installed = Settings.Apply(AgentKind.Claude, HookChange.Install, original, Now);

        Assert.Equal(ClaudeFile + ".plexus-backup-20261130123456", installed.Backup);
        Assert.Equal(original, File.ReadAllText(installed.Backup!));
        Assert.Equal(mode, File.GetUnixFileMode(installed.Backup!));
        Assert.Equal(mode, File.GetUnixFileMode(ClaudeFile));
        Assert.Contains(HookCommand.Option, File.ReadAllText(ClaudeFile), StringComparison.Ordinal);

        var preview = Settings.Preview(AgentKind.Claude, HookChange.Uninstall);
        var removed = Settings.Apply(AgentKind.Claude, HookChange.Uninstall, preview.Current, Now);

        Assert.Equal(original, File.ReadAllText(ClaudeFile));
        Assert.Equal(ClaudeFile + ".plexus-backup-20261130123456-2", removed.Backup);
        Assert.Equal(preview.Current, File.ReadAllText(removed.Backup!));
    }

    [Fact]
    public void Apply_RefusesAFileThatChangedSinceThePreview()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ClaudeFile)!);
        File.WriteAllText(ClaudeFile, "{}");
        var preview = Settings.Preview(AgentKind.Claude, HookChange.Install);
        File.WriteAllText(ClaudeFile, "{\"model\": \"opus\"}");

        var error = Assert.Throws<PlexusException>(() => Settings.Apply(AgentKind.Claude, HookChange.Install, preview.Current, Now));

        Assert.Equal(ErrorCodes.SettingsChanged, error.Code);
        Assert.Equal("{\"model\": \"opus\"}", File.ReadAllText(ClaudeFile));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(ClaudeFile)!));
    }

    [Fact]
    public void Apply_RefusesAFileCreatedSinceThePreviewOfNoFile()
    {
        var preview = Settings.Preview(AgentKind.Gemini, HookChange.Install);
        var file = Settings.PathFor(AgentKind.Gemini);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "{}");

        var error = Assert.Throws<PlexusException>(() => Settings.Apply(AgentKind.Gemini, HookChange.Install, preview.Current, Now));

        Assert.Equal(ErrorCodes.SettingsChanged, error.Code);
        Assert.Equal("{}", File.ReadAllText(file));
    }

    [Fact]
    public void Apply_RefusesAFileWithComments_WritingNothing()
    {
        var file = Settings.PathFor(AgentKind.Gemini);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        const string commented = "{\n  // keep me\n  \"theme\": \"dark\"\n}\n";
        File.WriteAllText(file, commented);

        var error = Assert.Throws<PlexusException>(() => Settings.Apply(AgentKind.Gemini, HookChange.Install, commented, Now));

        Assert.Equal(ErrorCodes.SettingsNotEditable, error.Code);
        Assert.Equal(commented, File.ReadAllText(file));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(file)!));
    }

    [Fact]
    public void Apply_OfNothingToDo_WritesNothing()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ClaudeFile)!);
        File.WriteAllText(ClaudeFile, "{}");

        var result = Settings.Apply(AgentKind.Claude, HookChange.Uninstall, "{}", Now);

        Assert.Equal(new ApplyHooksResult(ClaudeFile, Changed: false), result);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(ClaudeFile)!));
    }

    [Fact]
    public void Install_ThroughALink_WritesWhereItPoints_AndKeepsTheLink()
    {
        var dotfiles = Path.Combine(home, "dotfiles", "claude-settings.json");
        Directory.CreateDirectory(Path.GetDirectoryName(dotfiles)!);
        File.WriteAllText(dotfiles, "{}");
        Directory.CreateDirectory(Path.GetDirectoryName(ClaudeFile)!);
        File.CreateSymbolicLink(ClaudeFile, dotfiles);

        Settings.Apply(AgentKind.Claude, HookChange.Install, "{}", Now);

        Assert.Equal(dotfiles, new FileInfo(ClaudeFile).LinkTarget);
        Assert.Contains(HookCommand.Option, File.ReadAllText(dotfiles), StringComparison.Ordinal);
    }
}
