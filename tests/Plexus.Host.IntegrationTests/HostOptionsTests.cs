using System.Diagnostics;
using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>The host binary's command line and what its process exposes, run as the extension runs it.</summary>
public sealed class HostOptionsTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly TmuxSandbox tmux = new();

    public void Dispose() => tmux.Dispose();

    [Fact]
    public async Task Help_PrintsUsageOnStdout_AndExitsZero()
    {
        var (exitCode, stdout, _) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--tmux-socket-path", stdout);
        Assert.Contains("--version", stdout);
    }

    [Fact]
    public async Task Version_PrintsTheVersion_AndExitsZero()
    {
        var (exitCode, stdout, _) = await RunAsync("--version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout.Trim());
    }

    [Theory]
    [InlineData("--tmux-socket-path")]
    [InlineData("--tmux-socket-path", "--verbose")]
    [InlineData("--tmux-socket-name", "--tmux-path", "/usr/bin/tmux")]
    [InlineData("--tmux-path")]
    [InlineData("--no-such-option")]
    [InlineData("--tmux-socket-name", "a", "--tmux-socket-path", "/tmp/b")]
    public async Task BadArguments_ExitWithTwo_AndSayWhatIsWrong(params string[] arguments)
    {
        var (exitCode, _, stderr) = await RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.DoesNotContain("Unhandled exception", stderr);
        Assert.Contains(arguments[0], stderr);
    }

    [Fact]
    public async Task TmuxCommandThatFails_IsReportedAsTmuxCommandFailed_WithTmuxsWords()
    {
        // A stand-in tmux that reports its version and refuses everything else, as a real tmux does for a
        // command it cannot run.
        var fake = Path.Combine(Path.GetTempPath(), $"plexus-fake-tmux-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = -V ] && { echo 'tmux 3.3a'; exit 0; }; done\necho 'fake tmux says no' >&2\nexit 1\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await using var host = await HostProcess.StartAsync("--tmux-path", fake, "--tmux-socket-name", tmux.SocketName);
            await host.InitializeAsync();

            var error = await Assert.ThrowsAnyAsync<StreamJsonRpc.RemoteInvocationException>(() => host.CreateAsync("refused"));

            Assert.Equal(ErrorCodes.TmuxCommandFailed, error.ErrorCode);
            Assert.Contains("fake tmux says no", error.Message);
        }
        finally
        {
            File.Delete(fake);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(HostProcess.HostPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;

        // A host that took the arguments as good would serve stdin; closed, it ends at once instead of hanging.
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
