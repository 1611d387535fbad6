using Plexus.Host.Tmux;

namespace Plexus.Host.Tests.Tmux;

public sealed class TmuxSyntaxTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("$HOME", "\"\\$HOME\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("line\nbreak", "\"line\\012break\"")]
    [InlineData("tab\there", "\"tab\\011here\"")]
    [InlineData("ünï 🚀", "\"ünï 🚀\"")]
    [InlineData("~/notes.md", "\"\\~/notes.md\"")]
    [InlineData("~root", "\"\\~root\"")]
    public void Quote_EscapesWhatTmuxWouldInterpret(string value, string expected) =>
        Assert.Equal(expected, TmuxSyntax.Quote(value));

    [Fact]
    public void Quote_NeverProducesARawNewline() =>
        Assert.DoesNotContain('\n', TmuxSyntax.Quote("a\nb\r\nc"));

    [Theory]
    [InlineData("#(touch x)", "##(touch x)")]
    [InlineData("#{session_name}", "##{session_name}")]
    [InlineData("a#", "a##")]
    [InlineData("#[fg=red]", "#[fg=red]")]
    [InlineData("no hash", "no hash")]
    public void FormatLiteral_DoublesHashesExceptBeforeStyles(string value, string expected) =>
        Assert.Equal(expected, TmuxSyntax.FormatLiteral(value));

    [Fact]
    public void Command_QuotesEveryArgument() =>
        Assert.Equal("kill-session \"-t\" \"=my session\"", TmuxSyntax.Command("kill-session", "-t", "=my session"));

    [Fact]
    public void Targets_AreExact() =>
        Assert.Equal(("=coder", "=coder:"), (Targets.Session("coder"), Targets.ActivePane("coder")));
}
