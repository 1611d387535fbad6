using System.Text.Json;
using Plexus.Host.Protocol;
using Plexus.Host.Tmux;
using StreamJsonRpc.Protocol;

namespace Plexus.Host.Tests.Protocol;

/// <summary>The one place that turns a failure into a JSON-RPC error (<see cref="PlexusJsonRpc.Describe"/>).</summary>
public sealed class ErrorMappingTests
{
    [Fact]
    public void PlexusException_KeepsItsCodeAndMessage()
    {
        var error = PlexusJsonRpc.Describe("sessions/kill", PlexusException.NotFound("coder"));

        Assert.Equal(ErrorCodes.SessionNotFound, (int)error.Code);
        Assert.Equal("No session is named 'coder'.", error.Message);
        Assert.Null(error.Data);
    }

    [Fact]
    public void TmuxCommandException_IsTmuxCommandFailed_WithTmuxsWords()
    {
        var error = PlexusJsonRpc.Describe("sessions/sendText", new TmuxCommandException("no space for new pane"));

        Assert.Equal(ErrorCodes.TmuxCommandFailed, (int)error.Code);
        Assert.Equal("tmux: no space for new pane", error.Message);
    }

    [Fact]
    public void JsonException_InsideAWrapper_IsInvalidParams()
    {
        var error = PlexusJsonRpc.Describe("sessions/create", new InvalidOperationException("wrapped", new JsonException("The JSON value could not be converted.")));

        Assert.Equal(JsonRpcErrorCode.InvalidParams, error.Code);
        Assert.Contains("The JSON value could not be converted.", error.Message);
    }

    [Fact]
    public void AnythingElse_IsInternalError_WithoutAStackTrace()
    {
        var error = PlexusJsonRpc.Describe("sessions/list", new NullReferenceException("boom"));

        Assert.Equal(JsonRpcErrorCode.InternalError, error.Code);
        Assert.Equal("sessions/list failed: boom", error.Message);
        Assert.Null(error.Data);
    }

    [Fact]
    public void NotFound_QuotesOnlyAPrefixOfAHugeName()
    {
        var message = PlexusException.NotFound(new string('n', 1_000_000)).Message;

        Assert.StartsWith("No session is named 'nnnn", message);
        Assert.True(message.Length < Excerpt.QuoteLength + 60);
    }

    [Fact]
    public void Cap_NeverSplitsASurrogatePair()
    {
        var text = new string('a', Excerpt.MessageLength - 2) + "😀😀😀";

        var capped = Excerpt.Cap(text);

        Assert.False(char.IsHighSurrogate(capped[^2]) && capped[^1] == '…');
        Assert.True(capped.Length <= Excerpt.MessageLength);
    }
}
