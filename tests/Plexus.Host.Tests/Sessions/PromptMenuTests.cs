using Plexus.Host.Sessions;

namespace Plexus.Host.Tests.Sessions;

/// <summary>The menus of the real agents, read from screens captured from them (Status/Screens/real).</summary>
public sealed class PromptMenuTests
{
    [Theory]
    [InlineData("claude-2.1.328-permission.txt", "Do you want to proceed?", 4, "1", "4")]
    [InlineData("codex-0.169.0-permission.txt", "Would you like to run the following command?", 3, "y", "Escape")]
    [InlineData("gemini-0.61.0-permission.txt", "Allow execution of [Shell]?", 3, "1", "Escape")]
    public void PermissionMenus_GiveTheQuestion_AndTheKeysForAllowAndDeny(string screen, string question, int choices, string allowKey, string denyKey)
    {
        var menu = PromptMenu.Read(Real(screen));

        Assert.NotNull(menu);
        Assert.Equal(question, menu.Question);
        Assert.Equal(Enumerable.Range(1, choices), menu.Choices.Select(choice => choice.Number));
        Assert.Equal(allowKey, menu.Find("allow")?.Key);
        Assert.Equal(denyKey, menu.Find("deny")?.Key);
    }

    [Theory]
    [InlineData("claude-2.1.328-question.txt", "Which color should the button be?", "Red", "Blue")]
    [InlineData("codex-0.169.0-question.txt", "Which color should the button be?", "Red (Recommended) A warm color", "Blue A cool color")]
    [InlineData("gemini-0.61.0-question.txt", "Which color should the button be?", "Red", "Blue")]
    public void QuestionMenus_GiveTheChoices_PickedByTheirNumber(string screen, string question, string first, string second)
    {
        var menu = PromptMenu.Read(Real(screen));

        Assert.NotNull(menu);
        Assert.Equal(question, menu.Question);
        Assert.Equal([first, second], menu.Choices.Take(2).Select(choice => choice.Label));
        Assert.Equal("2", menu.Find("2")?.Key);
    }

    [Theory]
    [InlineData("claude-2.1.328-idle.txt")]
    [InlineData("claude-2.1.328-working.txt")]
    [InlineData("claude-2.1.328-permission-after-1.txt")]
    [InlineData("codex-0.169.0-done.txt")]
    [InlineData("codex-0.169.0-permission-after-y.txt")]
    [InlineData("gemini-0.61.0-idle.txt")]
    [InlineData("gemini-0.61.0-question-after-2.txt")]
    public void ScreensThatAskNothing_HaveNoMenu(string screen) =>
        Assert.Null(PromptMenu.Read(Real(screen)));

    [Fact]
    public void AYesNoPrompt_IsAnsweredWithYOrN_ThenEnter()
    {
        var menu = PromptMenu.Read("Reading package lists...\nDo you want to continue? [Y/n] ");

        Assert.NotNull(menu);
        Assert.True(menu.EnterAfterKey);
        Assert.Equal(("y", "n"), (menu.Find("allow")?.Key, menu.Find("deny")?.Key));
    }

    [Fact]
    public void ANumberedListFarAboveTheBottom_IsNotAMenu() =>
        Assert.Null(PromptMenu.Read("Steps:\n1. build\n2. test\n" + string.Concat(Enumerable.Repeat("output line\n", 40)) + "$ "));

    [Fact]
    public void AnAnswerThatIsNoChoice_FindsNothing() =>
        Assert.Null(PromptMenu.Read(Real("claude-2.1.328-permission.txt"))!.Find("7"));

    private static string Real(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Status", "Screens", "real", name));
}
