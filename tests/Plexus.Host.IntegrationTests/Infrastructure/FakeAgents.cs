namespace Plexus.Host.IntegrationTests.Infrastructure;

/// <summary>
/// The scripted agents in <c>tests/fake-agents</c>: bash scripts that print what Claude Code, a yes/no script or a
/// chatty build print, so status tests drive the host with screens the detector tables must recognise.
/// </summary>
public static class FakeAgents
{
    private static readonly Lazy<string> Folder = new(FindFolder);

    /// <summary>A session command running <paramref name="script"/> with <paramref name="arguments"/>, quoted for the shell.</summary>
    public static string Command(string script, params string[] arguments) =>
        string.Join(' ', new[] { "bash", Path.Combine(Folder.Value, script) }.Concat(arguments).Select(Quote));

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    // The test assembly runs from tests/Plexus.Host.IntegrationTests/bin/<configuration>/<tfm>/; the scripts stay in
    // the source tree, so a changed script needs no rebuild.
    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "fake-agents");
            if (File.Exists(Path.Combine(candidate, "claude-working.sh")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/fake-agents not found above {AppContext.BaseDirectory}");
    }
}
