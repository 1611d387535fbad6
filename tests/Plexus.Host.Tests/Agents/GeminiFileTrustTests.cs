using Plexus.Host.Agents;

namespace Plexus.Host.Tests.Agents;

/// <summary>
/// Gemini CLI's rule for a system settings file, on real files: root owns it and every folder above it, and nobody
/// else may write any of them. The suite runs as root or as a user; each case says what holds for both.
/// </summary>
public sealed class GeminiFileTrustTests : IDisposable
{
    private static readonly bool RunningAsRoot = Interop.GetUserId() == 0;

    private readonly List<string> folders = [];

    public void Dispose()
    {
        foreach (var folder in folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void FileBelowTmp_IsSkipped_AsOthersMayWriteTmp()
    {
        var file = WriteSettings(Path.GetTempPath());

        Assert.False(GeminiFileTrust.Trusts(file));
    }

    [Fact]
    public void FileInAPrivateFolderBelowHome_IsReadOnlyWhenRootOwnsIt()
    {
        var file = WriteSettings(Home);

        Assert.Equal(RunningAsRoot && HomeIsClosed(), GeminiFileTrust.Trusts(file));
    }

    [Fact]
    public void FileInAGroupWritableFolder_IsSkipped()
    {
        var file = WriteSettings(Home);
        File.SetUnixFileMode(Path.GetDirectoryName(file)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);

        Assert.False(GeminiFileTrust.Trusts(file));
    }

    [Fact]
    public void LinkFromTmp_ToAFileRootOwns_IsSkipped()
    {
        var file = WriteSettings(Home);
        var link = Path.Combine(Path.GetTempPath(), $"plexus-trust-link-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(link, file);
        try
        {
            Assert.False(GeminiFileTrust.Trusts(link));
        }
        finally
        {
            File.Delete(link);
        }
    }

    [Fact]
    public void MissingFile_IsSkipped() =>
        Assert.False(GeminiFileTrust.Trusts(Path.Combine(Home, $"plexus-missing-{Guid.NewGuid():N}", "settings.json")));

    private static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static bool HomeIsClosed()
    {
        for (var folder = Home; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if ((File.GetUnixFileMode(folder) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                return false;
            }
        }

        return true;
    }

    private string WriteSettings(string parent)
    {
        var folder = Path.Combine(parent, $"plexus-trust-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        folders.Add(folder);
        var file = Path.Combine(folder, "settings.json");
        File.WriteAllText(file, "{}");
        return file;
    }
}
