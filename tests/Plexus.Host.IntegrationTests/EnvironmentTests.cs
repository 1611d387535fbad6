using System.Diagnostics;
using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>
/// A tmux server Plexus starts outlives the editor, so it must not carry the editor's own variables into every
/// shell it will ever run (ELECTRON_RUN_AS_NODE, for one, breaks Electron apps started from those shells).
/// </summary>
public sealed class EnvironmentTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> EditorVariables = new()
    {
        ["VSCODE_IPC_HOOK_CLI"] = "/tmp/vscode-ipc-test.sock",
        ["VSCODE_PID"] = "4242",
        ["ELECTRON_RUN_AS_NODE"] = "1",
        ["GDK_PIXBUF_MODULE_FILE"] = "/snap/code/loaders.cache",
        ["SNAP"] = "/snap/code/1",
        ["SNAP_REVISION"] = "1",
        ["CHROME_DESKTOP"] = "code-url-handler.desktop",
        ["DOTNET_EnableDiagnostics"] = "0",
    };

    private readonly TmuxSandbox tmux = new();
    private HostProcess host = null!;

    public async Task InitializeAsync()
    {
        host = await HostProcess.StartAsync(EditorVariables, "--tmux-socket-name", tmux.SocketName);
        await host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        tmux.Dispose();
    }

    [Fact]
    public async Task ServerStartedByPlexus_CarriesNoEditorVariables_IntoItsPanes()
    {
        await host.CreateAsync("first", "sleep 300");
        await host.CreateAsync("second", "sleep 300");

        foreach (var name in new[] { "first", "second" })
        {
            var pid = int.Parse(tmux.Run("display-message", "-p", "-t", $"={name}:", "#{pane_pid}").Output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var environment = ReadEnvironment(pid);
            Assert.All(EditorVariables.Keys, variable => Assert.False(environment.ContainsKey(variable), $"{variable} reached the pane of {name}"));
            Assert.True(environment.ContainsKey("HOME"), "the user's own variables must stay");
        }

        var global = tmux.Run("show-environment", "-g").Output;
        Assert.All(EditorVariables.Keys, variable => Assert.DoesNotContain(variable + "=", global, StringComparison.Ordinal));
    }

    private static Dictionary<string, string> ReadEnvironment(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty);
}
