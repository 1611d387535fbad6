using Plexus.Host.Sessions;

namespace Plexus.Host.Tests.Sessions;

public sealed class LastWordsTests
{
    [Fact]
    public void FromScreen_KeepsTheLastPrintedLines_WithoutBlanksOrTmuxsDeadPaneLine()
    {
        string[] screen =
        [
            "starting", "one", "two", "three", "four", "bash: line 1: claude: command not found", "",
            "Pane is dead (status 127, Tue Nov 24 10:00:00 2026)", "", "",
        ];

        var lines = LastWords.FromScreen(screen);

        Assert.Equal("one\ntwo\nthree\nfour\nbash: line 1: claude: command not found", lines);
    }

    [Fact]
    public void FromScreen_OfAnEmptyScreen_IsEmpty() => Assert.Equal(string.Empty, LastWords.FromScreen(["", "   "]));

    [Theory]
    [InlineData(127, "plexus-no-such-command --flag", "plexus-no-such-command: command not found")]
    [InlineData(127, "cd src && claude", "command not found (exit status 127)")]
    [InlineData(127, "", "command not found (exit status 127)")]
    [InlineData(126, "./notes.txt", "./notes.txt: not executable")]
    [InlineData(1, "claude", "")]
    [InlineData(null, "claude", "")]
    public void WhenNothingWasKept_SaysWhatTheShellSaysForTheStatusesItOwns(int? exitStatus, string command, string expected) =>
        Assert.Equal(expected, LastWords.WhenNothingWasKept(exitStatus, command));
}
