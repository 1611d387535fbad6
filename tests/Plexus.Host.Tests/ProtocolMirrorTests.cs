using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Plexus.Host.Protocol;
using StreamJsonRpc;

namespace Plexus.Host.Tests;

/// <summary>
/// The protocol lives in C# (server/Plexus.Host/Protocol) and in extension/protocol.ts. This reflects over every
/// public record, enum and JSON-RPC interface of the C# side and compares each with the TypeScript declaration of
/// the same name: fields both ways with their optionality and types, enum members with the union's literals,
/// each method with its params and result types, and each error code with its number.
/// </summary>
public sealed partial class ProtocolMirrorTests
{
    private static readonly Assembly Host = typeof(IPlexusServer).Assembly;
    private static readonly string Namespace = typeof(IPlexusServer).Namespace!;
    private static readonly TypeScriptProtocol TypeScript = TypeScriptProtocol.Parse(Repository.ReadAllText("extension", "protocol.ts"));

    private static IEnumerable<Type> ProtocolTypes() =>
        Host.GetTypes().Where(type => type.IsPublic && type.Namespace == Namespace);

    private static IEnumerable<Type> Records() =>
        ProtocolTypes().Where(type => type.IsClass && type.GetMethod("<Clone>$") is not null);

    private static IEnumerable<Type> Enums() => ProtocolTypes().Where(type => type.IsEnum);

    public static TheoryData<string> RecordNames() => [.. Records().Select(type => type.Name)];

    public static TheoryData<string> EnumNames() => [.. Enums().Select(type => type.Name)];

    public static TheoryData<string> MethodNames() => [.. CSharpMethods().Select(method => method.Name)];

    public static TheoryData<string, int> ErrorCodeValues()
    {
        var data = new TheoryData<string, int>();
        foreach (var field in typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(field => field.IsLiteral))
        {
            data.Add(field.Name, (int)field.GetRawConstantValue()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void EveryRecord_HasTheSameFieldsInTypeScript(string name)
    {
        var record = Records().Single(type => type.Name == name);
        var declaration = TypeScript.Object(name);

        var expected = WireFields(record).ToDictionary(field => field.Name);
        var problems = new List<string>();
        foreach (var field in expected.Values)
        {
            if (!declaration.TryGetValue(field.Name, out var mirrored))
            {
                problems.Add($"{field.Name} is missing");
                continue;
            }

            if (mirrored.Optional != field.Optional)
            {
                problems.Add(field.Optional ? $"{field.Name} must be optional ('?'): the host may leave it out" : $"{field.Name} must not be optional: the host always sends it");
            }

            var types = TypeScriptProtocol.Normalize(mirrored.Type).Split('|');
            var nullable = types.Contains("null");
            if (nullable != field.SentAsNull)
            {
                problems.Add(field.SentAsNull ? $"{field.Name} must allow null: the host sends null" : $"{field.Name} must not allow null: the host leaves it out instead");
            }

            var rest = string.Join('|', types.Where(type => type != "null"));
            if (!TypeMatches(field.Type, rest))
            {
                problems.Add($"{field.Name} is '{mirrored.Type}' but the host's type is {field.Type.Name}");
            }
        }

        problems.AddRange(declaration.Keys.Where(field => !expected.ContainsKey(field)).Select(field => $"{field} is not a field of the C# record"));
        Assert.True(problems.Count == 0, $"extension/protocol.ts {name} differs from the C# record: {string.Join("; ", problems)}");
    }

    [Theory]
    [MemberData(nameof(EnumNames))]
    public void EveryEnum_HasTheSameMembersAsTheTypeScriptUnion(string name)
    {
        var members = Enums().Single(type => type.Name == name).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(field.Name));

        Assert.Equal(members.Order(StringComparer.Ordinal), TypeScript.Union(name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void EveryMethod_HasTheSameParamsAndResultInTypeScript(string name)
    {
        var method = CSharpMethods().Single(candidate => candidate.Name == name);

        Assert.True(TypeScript.Methods.TryGetValue(name, out var mirrored), $"'{name}' is not declared in extension/protocol.ts");
        Assert.Equal(method.Params?.Name ?? "(none)", mirrored.Params is null ? "(none)" : TypeScript.Resolve(mirrored.Params));
        if (method.Kind == MethodKind.Request)
        {
            Assert.True(mirrored.Kind == TypeScriptMethodKind.Request, $"'{name}' is a request on the host but a notification in TypeScript");
            Assert.Equal(method.Result?.Name ?? "void", TypeScript.Resolve(mirrored.Result!));
        }
        else if (method.Kind == MethodKind.Notification)
        {
            Assert.True(mirrored.Kind == TypeScriptMethodKind.Notification, $"'{name}' is a notification on the host but a request in TypeScript");
        }
    }

    [Fact]
    public void EveryTypeScriptMethod_IsOneTheHostKnows()
    {
        var known = CSharpMethods().Select(method => method.Name).ToHashSet();

        var unknown = TypeScript.Methods.Keys.Where(name => !known.Contains(name)).ToList();

        Assert.True(unknown.Count == 0, $"extension/protocol.ts declares methods the host does not have: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void EveryTypeScriptObjectType_IsAHostRecord()
    {
        var records = Records().Select(type => type.Name).ToHashSet();

        var unknown = TypeScript.ObjectNames.Where(name => !records.Contains(TypeScript.Resolve(name))).ToList();

        Assert.True(unknown.Count == 0, $"extension/protocol.ts declares object types the host has no record for: {string.Join(", ", unknown)}");
    }

    [Theory]
    [MemberData(nameof(ErrorCodeValues))]
    public void EveryErrorCode_HasTheSameNumberInTypeScript(string name, int code)
    {
        Assert.True(TypeScript.ErrorCodes.TryGetValue(name, out var mirrored), $"ErrorCodes.{name} is missing from extension/protocol.ts");
        Assert.Equal(code, mirrored);
    }

    [Fact]
    public void TheParser_FindsTheDeclarationsItChecks()
    {
        // Guards the checks above against a parser that silently finds nothing.
        Assert.Contains("cwd", TypeScript.Object(nameof(Session)).Keys);
        Assert.Contains("sessions/create", TypeScript.Methods.Keys);
        Assert.Contains("running", TypeScript.Union(nameof(SessionStatus)));
        Assert.NotEmpty(TypeScript.ErrorCodes);
    }

    private sealed record WireField(string Name, Type Type, bool Optional, bool SentAsNull);

    /// <summary>The fields as System.Text.Json with <see cref="PlexusJson.Options"/> puts them on the wire.</summary>
    private static IEnumerable<WireField> WireFields(Type record)
    {
        var nullability = new NullabilityInfoContext();
        var parameters = record.GetConstructors().OrderByDescending(constructor => constructor.GetParameters().Length).First().GetParameters();
        foreach (var property in record.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name == "EqualityContract")
            {
                continue;
            }

            var ignore = property.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition;
            if (ignore == JsonIgnoreCondition.Always)
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? PlexusJson.Options.PropertyNamingPolicy!.ConvertName(property.Name);
            var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null || nullability.Create(property).ReadState == NullabilityState.Nullable;
            var hasDefault = parameters.Any(parameter => parameter.Name == property.Name && parameter.HasDefaultValue);
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;

            // PlexusJson leaves nulls out (WhenWritingNull) unless a field says Never: then null is sent.
            yield return ignore == JsonIgnoreCondition.Never
                ? new WireField(name, type, Optional: false, SentAsNull: nullable)
                : new WireField(name, type, Optional: nullable || hasDefault, SentAsNull: false);
        }
    }

    private static bool TypeMatches(Type type, string typeScript)
    {
        if (type == typeof(string))
        {
            return typeScript == "string";
        }

        if (type == typeof(bool))
        {
            return typeScript == "boolean";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return typeScript == "number" || NumberLiteral().IsMatch(typeScript);
        }

        if (type.IsEnum || Records().Contains(type))
        {
            return TypeScript.Resolve(typeScript) == type.Name;
        }

        if (type.IsGenericType && type.GetGenericArguments() is [var key, var value] && type.GetInterfaces().Append(type).Any(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
        {
            return key == typeof(string) && DictionaryType().Match(typeScript) is { Success: true } match && TypeMatches(value, match.Groups["value"].Value);
        }

        var element = type.IsArray ? type.GetElementType() : type.GetInterfaces().Append(type).FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        if (element is not null && ArrayType().Match(typeScript) is { Success: true } array)
        {
            return TypeMatches(element, array.Groups["element"].Value);
        }

        return false;
    }

    private enum MethodKind
    {
        Request,
        Notification,
        Either,
    }

    private sealed record Method(string Name, MethodKind Kind, Type? Params, Type? Result);

    /// <summary>
    /// Every JSON-RPC method of the protocol: the <see cref="JsonRpcMethodAttribute"/> methods of its public
    /// interfaces, and notification names kept as string constants (<see cref="ClientNotifications"/>), whose
    /// params are checked only to be a host record.
    /// </summary>
    private static IEnumerable<Method> CSharpMethods()
    {
        var typed = TypedMethods().ToList();
        return typed.Concat(NamedNotifications().Where(name => !typed.Any(method => method.Name == name)).Select(NamedNotification));
    }

    private static IEnumerable<Method> TypedMethods()
    {
        foreach (var contract in ProtocolTypes().Where(type => type.IsInterface))
        {
            foreach (var method in contract.GetMethods())
            {
                var name = method.GetCustomAttribute<JsonRpcMethodAttribute>()?.Name ?? method.Name;
                var parameters = method.GetParameters().Where(parameter => parameter.ParameterType != typeof(CancellationToken)).ToArray();
                var parameterType = parameters.Length == 0 ? null : Nullable.GetUnderlyingType(parameters[0].ParameterType) ?? parameters[0].ParameterType;
                var returns = method.ReturnType;
                yield return returns == typeof(void) ? new Method(name, MethodKind.Notification, parameterType, null)
                    : returns == typeof(Task) || returns == typeof(ValueTask) ? new Method(name, MethodKind.Either, parameterType, null)
                    : new Method(name, MethodKind.Request, parameterType, returns.GetGenericArguments().Single());
            }
        }

    }

    private static IEnumerable<string> NamedNotifications() =>
        ProtocolTypes()
            .Where(type => type.IsAbstract && type.IsSealed && type.Name.EndsWith("Notifications", StringComparison.Ordinal))
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!);

    // Only a name: its params must be some host record, so take the one TypeScript names when it is one.
    private static Method NamedNotification(string name)
    {
        var mirrored = TypeScript.Methods.GetValueOrDefault(name);
        var parameters = mirrored?.Params is { } typeName ? Records().FirstOrDefault(type => type.Name == TypeScript.Resolve(typeName)) : null;
        return new Method(name, MethodKind.Notification, parameters ?? (mirrored?.Params is null ? null : typeof(void)), null);
    }

    [GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial Regex NumberLiteral();

    [GeneratedRegex(@"^(\{\[\w+:string\]:(?<value>.+)\}|Record<string,(?<value>.+)>)$")]
    private static partial Regex DictionaryType();

    [GeneratedRegex(@"^(readonly)?(?<element>\w+)\[\]$|^(Readonly)?Array<(?<element>.+)>$")]
    private static partial Regex ArrayType();
}
