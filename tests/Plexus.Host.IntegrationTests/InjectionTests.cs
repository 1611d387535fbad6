using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>Names and text are data: nothing a user types is ever run by a shell or by tmux's format engine.</summary>
public sealed class InjectionTests : HostTestBase
{
    private readonly string canaryDirectory = Directory.CreateTempSubdirectory("plexus-canary-").FullName;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(canaryDirectory, recursive: true);
    }

    [Fact]
    public async Task SessionNamesWithShellAndTmuxSyntax_AreCreatedVerbatim_AndRunNothing()
    {
        var canary = Path.Combine(canaryDirectory, "from-name");
        string[] names = [$"x; touch {canary}", $"`touch {canary}`", $"#(touch {canary})", $"a' ; run-shell 'touch {canary}", "#{session_id}"];

        foreach (var name in names)
        {
            var session = await Host.CreateAsync(name, "sleep 300");
            Assert.Equal(name, session.Name);
        }

        var listed = await Host.ListAsync();
        Assert.All(names, name => Assert.Contains(listed, session => session.Name == name));
        Assert.All(names, name => Assert.Contains(name, Tmux.SessionNames()));
        Assert.False(File.Exists(canary), "a session name was executed");
    }

    [Fact]
    public async Task SubstitutionInName_IsRejectedBeforeTmuxSeesIt()
    {
        var canary = Path.Combine(canaryDirectory, "from-dollar");

        var code = await Host.ErrorCodeOfAsync("sessions/create", new CreateSessionParams($"$(touch {canary})"));

        Assert.Equal(ErrorCodes.InvalidName, code);
        Assert.False(File.Exists(canary));
    }

    [Fact]
    public async Task SendText_IsTypedLiterally_NotExecuted()
    {
        var canary = Path.Combine(canaryDirectory, "from-text");
        var text = $"$(touch {canary}) `touch {canary}` ; touch {canary} #(touch {canary})";
        await Host.CreateAsync("literal", "cat");

        await Host.CallAsync<EmptyResult>("sessions/sendText", new SendTextParams("literal", text, Enter: true));

        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        string screen;
        do
        {
            screen = (await Host.CallAsync<ScrollbackResult>("sessions/scrollback", new ScrollbackParams("literal"))).Text;
            Assert.True(DateTimeOffset.UtcNow < deadline, $"text never arrived: {screen}");
        }
        while (!screen.Contains(text));

        Assert.False(File.Exists(canary), "sent text was executed");
    }

    [Theory]
    [InlineData("~")]
    [InlineData("~root")]
    [InlineData("~/notes")]
    public async Task NamesStartingWithTilde_AreKeptVerbatim_InCreateAndRename(string name)
    {
        var created = await Host.CreateAsync(name, "sleep 300");
        var renamed = await Host.CallAsync<Session>("sessions/rename", new RenameSessionParams(name, name + "-2"));
        var back = await Host.CallAsync<Session>("sessions/rename", new RenameSessionParams(name + "-2", name));

        Assert.Equal(name, created.Name);
        Assert.Equal(name + "-2", renamed.Name);
        Assert.Equal(name, back.Name);
        Assert.Equal([name], Tmux.SessionNames());
    }

    [Theory]
    [InlineData("~/notes.md")]
    [InlineData("~root/x")]
    public async Task TextStartingWithTilde_IsTypedVerbatim(string text)
    {
        await Host.CreateAsync("tilde-text", "cat");

        await Host.CallAsync<EmptyResult>("sessions/sendText", new SendTextParams("tilde-text", text, Enter: true));

        var deadline = DateTimeOffset.UtcNow + Deadline;
        string screen;
        do
        {
            screen = Tmux.Run("capture-pane", "-p", "-t", "=tilde-text:").Output;
            Assert.True(DateTimeOffset.UtcNow < deadline, $"text never arrived: {screen}");
            await Task.Delay(20);
        }
        while (screen.Split('\n').Count(line => line == text) < 2);

        Assert.DoesNotContain("/root", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkingDirectoryWithFormatSyntax_IsUsedVerbatim()
    {
        var odd = Directory.CreateDirectory(Path.Combine(canaryDirectory, "dir #{session_name} #(id)")).FullName;

        await Host.CallAsync<Session>("sessions/create", new CreateSessionParams("in-odd-dir", "sleep 300", Cwd: odd));

        Assert.Equal(odd, Tmux.Run("display-message", "-p", "-t", "=in-odd-dir:", "#{pane_current_path}").Output.TrimEnd('\n'));
    }
}
