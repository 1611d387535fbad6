using Plexus.Host.Tmux;

namespace Plexus.Host.Tests.Tmux;

public sealed class SessionNameRulesTests
{
    [Theory]
    [InlineData("coder-1")]
    [InlineData("with space")]
    [InlineData("hash#tag")]
    [InlineData("ünïcødé 🚀")]
    [InlineData("semi;colon")]
    public void Accepts_NamesTmuxKeepsAsTyped(string name) =>
        Assert.Null(SessionNameRules.Problem(name));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a.b")]
    [InlineData("a:b")]
    [InlineData("a$b")]
    [InlineData("a\\b")]
    [InlineData("a\nb")]
    [InlineData("a\u007fb")]
    [InlineData("a\u0085b")]
    public void Rejects_NamesTmuxWouldChangeOrCannotTarget(string name) =>
        Assert.NotNull(SessionNameRules.Problem(name));

    [Fact]
    public void Rejects_NamesOver128Characters()
    {
        Assert.Null(SessionNameRules.Problem(new string('a', 128)));
        Assert.NotNull(SessionNameRules.Problem(new string('a', 129)));
    }
}
