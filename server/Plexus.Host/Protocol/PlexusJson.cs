using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Plexus.Host.Sessions;

namespace Plexus.Host.Protocol;

/// <summary>
/// The one set of JSON options for the wire and the host's files: camelCase names and enums, no nulls sent. Every
/// type the host serializes is listed in <see cref="PlexusJsonContext"/>, so nothing is reflected over at run time
/// and the native (AOT) host behaves exactly like the framework-dependent one.
/// </summary>
public static class PlexusJson
{
    public static JsonSerializerOptions Options => PlexusJsonContext.Default.Options;

    /// <summary>
    /// The wire options for a C# client (tests, the benchmark) that also sends shapes of its own (an anonymous
    /// params object): the generated metadata first, reflection for the rest. Never used by the host itself.
    /// </summary>
    [RequiresUnreferencedCode("Reflects over client-side types that PlexusJsonContext does not list.")]
    [RequiresDynamicCode("Reflects over client-side types that PlexusJsonContext does not list.")]
    public static JsonSerializerOptions ForClients() =>
        new(Options) { TypeInfoResolver = JsonTypeInfoResolver.Combine(PlexusJsonContext.Default, new DefaultJsonTypeInfoResolver()) };
}

/// <summary>An enum as its camelCase name ("waiting"), with a parameterless constructor the source generator can call.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;

/// <summary>Serialization metadata generated at compile time for every protocol type and the records file.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters =
    [
        typeof(CamelCaseEnumConverter<SessionStatus>),
        typeof(CamelCaseEnumConverter<AgentKind>),
        typeof(CamelCaseEnumConverter<WaitingReason>),
        typeof(CamelCaseEnumConverter<HookChange>),
    ])]
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(EmptyParams))]
[JsonSerializable(typeof(EmptyResult))]
[JsonSerializable(typeof(SessionListResult))]
[JsonSerializable(typeof(CreateSessionParams))]
[JsonSerializable(typeof(Session))]
[JsonSerializable(typeof(SessionNameParams))]
[JsonSerializable(typeof(KillResult))]
[JsonSerializable(typeof(RenameSessionParams))]
[JsonSerializable(typeof(ScrollbackParams))]
[JsonSerializable(typeof(ScrollbackResult))]
[JsonSerializable(typeof(SendTextParams))]
[JsonSerializable(typeof(RespawnParams))]
[JsonSerializable(typeof(AttachCommandParams))]
[JsonSerializable(typeof(AttachCommandResult))]
[JsonSerializable(typeof(PromptParams))]
[JsonSerializable(typeof(PromptResult))]
[JsonSerializable(typeof(AnswerParams))]
[JsonSerializable(typeof(AnswerResult))]
[JsonSerializable(typeof(NotRunningList))]
[JsonSerializable(typeof(RememberParams))]
[JsonSerializable(typeof(PreviewHooksParams))]
[JsonSerializable(typeof(HooksPreview))]
[JsonSerializable(typeof(ApplyHooksParams))]
[JsonSerializable(typeof(ApplyHooksResult))]
[JsonSerializable(typeof(StatusSettings))]
[JsonSerializable(typeof(FindClientParams))]
[JsonSerializable(typeof(FindClientResult))]
[JsonSerializable(typeof(DetachClientsParams))]
[JsonSerializable(typeof(DetachClientsResult))]
[JsonSerializable(typeof(SessionsChangedParams))]
[JsonSerializable(typeof(StatusChangedParams))]
[JsonSerializable(typeof(SessionRecords.RecordsFile))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class PlexusJsonContext : JsonSerializerContext;
