using System.Reflection;
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

    // The native host has no reflection fallback: a params or result type missing from PlexusJsonContext would
    // fail only there, at run time. This finds it here.
    [Fact]
    public void EveryTypeOnTheWire_HasGeneratedMetadata()
    {
        var wireTypes = typeof(IPlexusServer).GetMethods().Concat(typeof(IPlexusClient).GetMethods())
            .SelectMany(method => method.GetParameters().Select(parameter => parameter.ParameterType).Append(method.ReturnType))
            .Select(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) ? type.GetGenericArguments()[0] : type)
            .Select(type => Nullable.GetUnderlyingType(type) ?? type)
            .Where(type => type.Namespace == typeof(Session).Namespace)
            .Distinct()
            .ToList();

        Assert.NotEmpty(wireTypes);
        Assert.All(wireTypes, type => Assert.NotNull(PlexusJson.Options.TypeInfoResolver!.GetTypeInfo(type, PlexusJson.Options)));
    }
}
