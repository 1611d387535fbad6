using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plexus.Host.Protocol;

/// <summary>The one set of JSON options for the wire: camelCase names and enums, no nulls sent.</summary>
public static class PlexusJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
