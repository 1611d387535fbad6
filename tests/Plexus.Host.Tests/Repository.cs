namespace Plexus.Host.Tests;

/// <summary>Files of the repository the tests read: the TypeScript mirror, the shared test vectors.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ReadAllText(params string[] relativePath) =>
        File.ReadAllText(Path.Combine([Root, .. relativePath]));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "plexus-vscode.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("plexus-vscode.sln not found above the test binaries");
    }
}
