using System.Reflection;
using System.Text.RegularExpressions;
using Plexus.Host.Protocol;
using StreamJsonRpc;

namespace Plexus.Host.Tests;

/// <summary>
/// The protocol lives in C# and in extension/protocol.ts; this keeps the two from drifting apart by checking
/// that every method, notification, field and enum value the host knows is spelled the same in TypeScript.
/// </summary>
public sealed class ProtocolMirrorTests
{
    private static readonly string TypeScript = File.ReadAllText(Path.Combine(RepositoryRoot(), "extension", "protocol.ts"));

    public static TheoryData<string> MethodNames()
    {
        var names = typeof(IPlexusServer).GetMethods()
            .Select(method => method.GetCustomAttribute<JsonRpcMethodAttribute>()?.Name)
            .OfType<string>()
            .Concat([ClientNotifications.SessionsChanged, ClientNotifications.StatusChanged]);
        return [.. names];
    }

    public static TheoryData<string, string> FieldNames()
    {
        var data = new TheoryData<string, string>();
        var records = typeof(Session).Assembly.GetTypes()
            .Where(type => type.Namespace == typeof(Session).Namespace && type.IsPublic && type.GetMethod("<Clone>$") is not null);
        foreach (var record in records)
        {
            foreach (var property in record.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.Name != "EqualityContract"))
            {
                data.Add(record.Name, char.ToLowerInvariant(property.Name[0]) + property.Name[1..]);
            }
        }

        return data;
    }

    public static TheoryData<string> EnumValues() =>
        [.. Enum.GetNames<SessionStatus>().Concat(Enum.GetNames<WaitingReason>()).Select(name => char.ToLowerInvariant(name[0]) + name[1..])];

    public static TheoryData<string, int> ErrorCodeValues()
    {
        var data = new TheoryData<string, int>();
        foreach (var field in typeof(ErrorCodes).GetFields())
        {
            data.Add(field.Name, (int)field.GetRawConstantValue()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void EveryMethod_AppearsInTypeScript(string method) =>
        Assert.Contains($"'{method}'", TypeScript);

    [Theory]
    [MemberData(nameof(FieldNames))]
    public void EveryField_AppearsInTypeScript(string record, string field) =>
        Assert.True(Regex.IsMatch(TypeScript, $@"\b{field}\??:"), $"{record}.{field} is missing from extension/protocol.ts");

    [Theory]
    [MemberData(nameof(EnumValues))]
    public void EveryEnumValue_AppearsInTypeScript(string value) =>
        Assert.Contains($"'{value}'", TypeScript);

    [Theory]
    [MemberData(nameof(ErrorCodeValues))]
    public void EveryErrorCode_HasTheSameNumberInTypeScript(string name, int code) =>
        Assert.Matches($@"\b{name}: {code},", TypeScript);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "plexus-vscode.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("plexus-vscode.sln not found above the test binaries");
    }
}
