using System.Diagnostics;

namespace Plexus.Host.IntegrationTests.Infrastructure;

/// <summary>
/// A private tmux server for one test class (<c>-L plexus-test-RANDOM</c>). Only this server is ever killed;
/// the user's default server is never touched.
/// </summary>
public sealed class TmuxSandbox : IDisposable
{
    public TmuxSandbox()
    {
        SocketName = $"plexus-test-{Guid.NewGuid():N}"[..24];
    }

    public string SocketName { get; }

    public string SocketPath => Path.Combine(Environment.GetEnvironmentVariable("TMUX_TMPDIR") ?? "/tmp", $"tmux-{Environment.GetEnvironmentVariable("UID") ?? UserId()}", SocketName);

    /// <summary>Runs tmux on the private socket with an argument list (no shell) and returns its output.</summary>
    public TmuxResult Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        // -u: tmux writes UTF-8 whatever the locale (without it a C locale reads "é" back as "_").
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(SocketName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("TMUX");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new TmuxResult(process.ExitCode, output, error);
    }

    public IReadOnlyList<string> SessionNames()
    {
        var result = Run("list-sessions", "-F", "#{session_name}");
        return result.ExitCode == 0 ? result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
    }

    public IReadOnlyList<string> Clients()
    {
        var result = Run("list-clients", "-F", "#{client_name} #{client_flags}");
        return result.ExitCode == 0 ? result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
    }

    /// <summary>Kills this server and removes its socket file, which tmux 3.3a leaves behind after kill-server.</summary>
    public void Dispose()
    {
        Run("kill-server");
        File.Delete(SocketPath);
    }

    private static string UserId()
    {
        var start = new ProcessStartInfo("id", "-u") { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text;
    }
}

public sealed record TmuxResult(int ExitCode, string Output, string Error);
