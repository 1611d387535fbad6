namespace Plexus.Host.Tests;

/// <summary>The host's command line: every value checked, help and version never errors.</summary>
public sealed class HostArgumentsTests
{
    [Fact]
    public void AllOptions_AreRead()
    {
        Assert.True(HostArguments.TryParse(["--tmux-path", "/usr/bin/tmux", "--tmux-socket-path", "/tmp/s", "--verbose"], out var options, out _));

        Assert.Equal(new HostArguments("/usr/bin/tmux", null, "/tmp/s", true, HostAction.Serve), options);
    }

    [Fact]
    public void NoSessionRecords_TurnsRememberingOff()
    {
        Assert.True(HostArguments.TryParse(["--no-session-records"], out var options, out _));

        Assert.False(options.RememberSessions);
    }

    [Fact]
    public void NoArguments_ServeTheDefaultServer()
    {
        Assert.True(HostArguments.TryParse([], out var options, out _));

        Assert.Equal(new HostArguments(null, null, null, false), options);
    }

    [Theory]
    [InlineData("--tmux-socket-path")]
    [InlineData("--tmux-socket-path", "--verbose")]
    [InlineData("--tmux-socket-path", "")]
    [InlineData("--tmux-socket-name", "--tmux-path", "/usr/bin/tmux")]
    [InlineData("--tmux-path", "a", "--tmux-path", "b")]
    public void OptionWithoutItsValue_IsAnError_NamingTheOption(params string[] args)
    {
        Assert.False(HostArguments.TryParse(args, out _, out var problem));

        Assert.Contains(args[0], problem);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("stray")]
    public void UnknownArgument_IsAnError_QuotingIt(string argument)
    {
        Assert.False(HostArguments.TryParse([argument], out _, out var problem));

        Assert.Contains($"'{argument}'", problem);
    }

    [Fact]
    public void BothSocketOptions_AreAnError()
    {
        Assert.False(HostArguments.TryParse(["--tmux-socket-name", "a", "--tmux-socket-path", "/tmp/b"], out _, out var problem));

        Assert.Contains("not both", problem);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--tmux-socket-path", "--help")]
    public void Help_WinsOverEverythingElse(params string[] args)
    {
        Assert.True(HostArguments.TryParse(args, out var options, out _));

        Assert.Equal(HostAction.Help, options.Action);
    }

    [Fact]
    public void Version_IsAnAction()
    {
        Assert.True(HostArguments.TryParse(["--version"], out var options, out _));

        Assert.Equal(HostAction.Version, options.Action);
    }

    [Fact]
    public void AHugeArgument_IsQuotedShort()
    {
        Assert.False(HostArguments.TryParse(["--" + new string('x', 100_000)], out _, out var problem));

        Assert.True(problem.Length < 200);
    }
}
