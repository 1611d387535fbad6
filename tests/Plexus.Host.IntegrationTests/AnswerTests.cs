using Plexus.Host.IntegrationTests.Infrastructure;
using Plexus.Host.Protocol;

namespace Plexus.Host.IntegrationTests;

/// <summary>Answering a waiting session's prompt without attaching: the menu read, the key sent, the change confirmed.</summary>
public sealed class AnswerTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly TmuxSandbox tmux = new();
    private HostProcess host = null!;

    public async Task InitializeAsync() =>
        host = await HostProcess.StartInitializedAsync(tmux, new StatusSettings(IdleAfterSeconds: 0.5));

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        tmux.Dispose();
    }

    [Fact]
    public async Task AYesNoPrompt_ShowsItsChoices_AndAllowTypesYes()
    {
        await host.CreateAsync("asks", "printf 'Apply the patch? [y/N] '; read -r reply; echo \"got:$reply\"; sleep 300");
        await host.Notifications.WaitForStatusAsync("asks", SessionStatus.Waiting, Deadline);

        var prompt = await host.CallAsync<PromptResult>("sessions/prompt", new PromptParams("asks"));
        var answer = await host.CallAsync<AnswerResult>("sessions/answer", new AnswerParams("asks", "allow"));

        Assert.Equal("Apply the patch? [y/N]", prompt.Question);
        Assert.Equal(["Yes", "No"], prompt.Choices.Select(choice => choice.Label));
        Assert.True(answer.Answered, answer.Detail);
        Assert.Contains("got:y", tmux.Run("capture-pane", "-p", "-t", "=asks:").Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANumberedMenu_IsAnsweredWithTheChoicesNumber()
    {
        // Like the agents, it takes the menu off the screen once a key picked a choice (bash: read -n1).
        const string menu = "bash -c 'printf \"Do you want to proceed?\\n ❯ 1. Yes\\n   2. No\\n\"; read -r -n1 key; clear; echo \"picked:$key\"; sleep 300'";
        await host.CreateAsync("menu", menu);
        await host.Notifications.WaitForStatusAsync("menu", SessionStatus.Waiting, Deadline);

        var answer = await host.CallAsync<AnswerResult>("sessions/answer", new AnswerParams("menu", "deny"));

        Assert.True(answer.Answered, answer.Detail);
        Assert.Contains("picked:2", tmux.Run("capture-pane", "-p", "-t", "=menu:").Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnswerTheProgramIgnores_IsReportedAsNotTaken()
    {
        // Reads nothing: the prompt stays however often it is answered.
        await host.CreateAsync("deaf", "stty -echo; printf 'Overwrite? [y/N] '; sleep 300");
        await host.Notifications.WaitForStatusAsync("deaf", SessionStatus.Waiting, Deadline);

        var answer = await host.CallAsync<AnswerResult>("sessions/answer", new AnswerParams("deaf", "allow"));

        Assert.False(answer.Answered);
        Assert.Contains("attach", answer.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionThatIsNotWaiting_CannotBeAnswered()
    {
        await host.CreateAsync("busy", "sleep 300");

        var code = await host.ErrorCodeOfAsync("sessions/answer", new AnswerParams("busy", "allow"));

        Assert.Equal(ErrorCodes.NotWaiting, code);
    }
}
