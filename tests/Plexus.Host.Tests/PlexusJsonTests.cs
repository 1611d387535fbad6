using System.Text.Json;
using Plexus.Host.Protocol;

namespace Plexus.Host.Tests;

public sealed class PlexusJsonTests
{
    [Fact]
    public void MissingTmux_IsSentAsNullTmuxVersion_NotLeftOut() =>
        Assert.Contains("\"tmuxVersion\":null", JsonSerializer.Serialize(new InitializeResult("0.1.0", 1, null, false, "/tmp/s"), PlexusJson.Options));

    [Fact]
    public void Sessions_UseCamelCaseNamesAndEnums_AndLeaveOutAbsentOptionals()
    {
        var json = JsonSerializer.Serialize(new Session("a", "$1", 1, 0, 5, "bash", "/", SessionStatus.Waiting, 6, WaitingReason.Permission), PlexusJson.Options);

        Assert.Contains("\"attachedClients\":0", json);
        Assert.Contains("\"status\":\"waiting\"", json);
        Assert.Contains("\"reason\":\"permission\"", json);
        Assert.DoesNotContain("exitCode", json);
    }
}
