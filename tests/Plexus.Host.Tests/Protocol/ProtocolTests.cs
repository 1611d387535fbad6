using Plexus.Host.Protocol;
using StreamJsonRpc.Protocol;

namespace Plexus.Host.Tests.Protocol;

/// <summary>Version negotiation, the shutdown state and the error codes of the protocol, in process.</summary>
public sealed class ProtocolTests
{
    [Fact]
    public async Task Initialize_WithTheSupportedVersion_Succeeds()
    {
        await using var host = InProcessHost.Start();

        var result = await host.CallAsync<InitializeResult>("initialize", new InitializeParams("tests", 1));

        Assert.Equal(1, result.ProtocolVersion);
        Assert.Null(result.TmuxVersion);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Initialize_WithAnUnsupportedVersion_IsRefused_NamingTheVersionsTheHostSpeaks(int version)
    {
        await using var host = InProcessHost.Start();

        var error = await host.ErrorOfAsync("initialize", new InitializeParams("tests", version));

        Assert.Equal(ErrorCodes.UnsupportedProtocolVersion, error.Code);
        Assert.Contains("version 1", error.Message);
        Assert.Contains(version.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Theory]
    [InlineData("initialize")]
    [InlineData("sessions/list")]
    [InlineData("sessions/create")]
    [InlineData("shutdown")]
    [InlineData("no/such")]
    public async Task AfterShutdown_EveryRequest_IsInvalidRequest(string method)
    {
        await using var host = InProcessHost.Start();
        await host.CallAsync<InitializeResult>("initialize", new InitializeParams("tests", 1));
        await host.CallAsync<EmptyResult>("shutdown", new EmptyParams());

        var error = await host.ErrorOfAsync(method, method == "initialize" ? new InitializeParams("tests", 1) : new { name = "x" });

        Assert.Equal((int)JsonRpcErrorCode.InvalidRequest, error.Code);
    }

    [Fact]
    public async Task AfterShutdown_ExitIsStillHeard()
    {
        await using var host = InProcessHost.Start();
        await host.CallAsync<EmptyResult>("shutdown", new EmptyParams());
        var exited = host.ExitRequested;

        await host.Client.NotifyAsync("exit");

        await exited.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task UnknownMethod_IsMethodNotFound()
    {
        await using var host = InProcessHost.Start();

        var error = await host.ErrorOfAsync("sessions/teleport", new { });

        Assert.Equal((int)JsonRpcErrorCode.MethodNotFound, error.Code);
    }

    [Fact]
    public async Task SessionRequest_WithoutTmux_IsTmuxNotInstalled()
    {
        await using var host = InProcessHost.Start();

        var error = await host.ErrorOfAsync("sessions/list", new EmptyParams());

        Assert.Equal(ErrorCodes.TmuxNotInstalled, error.Code);
    }

    [Fact]
    public async Task RequiredParamsLeftOut_IsInvalidParams()
    {
        await using var host = InProcessHost.Start();

        var error = await host.ErrorOfAsync("sessions/create", parameters: null);

        Assert.Equal(ErrorCodes.InvalidParams, error.Code);
    }
}
