using Plexus.Host.Sessions;

namespace Plexus.Host.Tests.Sessions;

public sealed class LastWordsTests
{
    [Fact]
    public void LastLines_KeepsTheLastPrintedLines_WithoutBlanksOrTmuxsDeadPaneLine()
    {
        string[] screen =
        [
            "starting", "one", "two", "three", "four", "bash: line 1: claude: command not found", "",
            "Pane is dead (status 127, Tue Nov 24 10:00:00 2026)", "", "",
        ];

        var lines = SessionMonitor.LastLines(screen);

        Assert.Equal("one\ntwo\nthree\nfour\nbash: line 1: claude: command not found", lines);
    }

    [Fact]
    public void LastLines_OfAnEmptyScreen_IsEmpty() => Assert.Equal(string.Empty, SessionMonitor.LastLines(["", "   "]));
}
