using Plexus.Host.Tmux;

namespace Plexus.Host.Tests.Tmux;

public sealed class SessionRowsTests
{
    private const char F = SessionRows.FieldSeparator;
    private const char R = SessionRows.RecordSeparator;

    [Fact]
    public void Parse_ReadsEveryField_AndTheNewestWindowActivity()
    {
        var text = $"$3{F}odd name #1{F}2{F}1{F}1795538000{F}%7{F}4242{F}1{F}3{F}{F}claude{F}1795538010 1795538020 {F}✳ Claude Code{F}claude Stop {{}}{F}/home/me/a{F}b{R}";

        var row = Assert.Single(SessionRows.Parse(text));

        Assert.Equal(new TmuxSessionRow("$3", "odd name #1", 2, 1, 1795538000, "%7", 4242, true, 3, null, "claude", 1795538020, "✳ Claude Code", "claude Stop {}", $"/home/me/a{F}b"), row);
    }

    [Fact]
    public void Parse_HandlesListOutputAndSubscriptionValuesAlike()
    {
        var record = $"$1{F}a{F}1{F}0{F}1{F}%1{F}99{F}0{F}{F}{F}bash{F}5 {F}host{F}{F}/tmp{R}";

        Assert.Equal(2, SessionRows.Parse(record + "\n" + record.Replace("$1", "$2")).Count);
        Assert.Equal(2, SessionRows.Parse(record + record.Replace("$1", "$2")).Count);
    }

    [Fact]
    public void Parse_SkipsMalformedRecords() =>
        Assert.Empty(SessionRows.Parse($"garbage{R}$1{F}too few{R}"));

    [Fact]
    public void Formats_HaveNoTopLevelCommaInsideLoops() =>
        Assert.DoesNotContain(",", SessionRows.AllSessionsFormat);
}
