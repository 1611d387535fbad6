using Plexus.Host.Tmux;

namespace Plexus.Host.Tests.Tmux;

public sealed class ControlModeParserTests
{
    [Fact]
    public void Block_CollectsLinesUntilItsOwnEnd()
    {
        var parser = new ControlModeParser();

        Assert.Null(parser.Feed("%begin 1795538001 268 1"));
        Assert.Null(parser.Feed("first"));
        Assert.Null(parser.Feed("%end 1795538001 999 1"));
        var reply = Assert.IsType<ControlReply>(parser.Feed("%end 1795538001 268 1"));

        Assert.True(reply.Success);
        Assert.True(reply.FromThisClient);
        Assert.Equal(["first", "%end 1795538001 999 1"], reply.Lines);
    }

    [Fact]
    public void Error_EndsTheBlockAsFailure()
    {
        var parser = new ControlModeParser();
        parser.Feed("%begin 1 5 1");
        parser.Feed("can't find session: =nope");

        var reply = Assert.IsType<ControlReply>(parser.Feed("%error 1 5 1"));

        Assert.False(reply.Success);
        Assert.Equal("can't find session: =nope", reply.ErrorText);
    }

    [Fact]
    public void AttachBlock_IsNotFromThisClient()
    {
        var parser = new ControlModeParser();
        parser.Feed("%begin 1 263 0");

        Assert.False(Assert.IsType<ControlReply>(parser.Feed("%end 1 263 0")).FromThisClient);
    }

    [Fact]
    public void Notification_SplitsNameAndArguments()
    {
        var notification = Assert.IsType<ControlNotification>(new ControlModeParser().Feed("%session-renamed $1 new name"));

        Assert.Equal("session-renamed", notification.Name);
        Assert.Equal("$1", notification.FirstArgument);
        Assert.Equal("$1 new name", notification.Arguments);
    }

    [Fact]
    public void SubscriptionValue_IsEverythingAfterTheColon()
    {
        var notification = Assert.IsType<ControlNotification>(new ControlModeParser().Feed("%subscription-changed plexus-sessions $0 - - - : a : b"));

        Assert.Equal("plexus-sessions", notification.FirstArgument);
        Assert.Equal("a : b", notification.SubscriptionValue);
    }

    [Fact]
    public void BareNotification_HasNoArguments() =>
        Assert.Equal(new ControlNotification("sessions-changed", string.Empty), new ControlModeParser().Feed("%sessions-changed"));
}
