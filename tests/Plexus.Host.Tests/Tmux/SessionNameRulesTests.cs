using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Host.Tmux;

namespace Plexus.Host.Tests.Tmux;

/// <summary>
/// The name rules against tests/data/session-names.json, the vectors tests/extension/names.test.ts checks
/// extension/names.ts against: the host and the extension accept and refuse the same names for the same reason.
/// </summary>
public sealed class SessionNameRulesTests
{
    private static readonly JsonNode Vectors = JsonNode.Parse(Repository.ReadAllText("tests", "data", "session-names.json"))!;

    // Theory rows carry an index and a readable label: xunit cannot serialize names with unpaired surrogates.
    public static TheoryData<int, string> AcceptVectors() => Rows("accept");

    public static TheoryData<int, string> RejectVectors() => Rows("reject");

    [Theory]
    [MemberData(nameof(AcceptVectors))]
    public void Accepts_EveryAcceptVector(int index, string label)
    {
        var name = NameOf(Vector("accept", index));

        Assert.True(SessionNameRules.Problem(name) is null, $"{label} was refused: {SessionNameRules.Problem(name)}");
    }

    [Theory]
    [MemberData(nameof(RejectVectors))]
    public void Rejects_EveryRejectVector_ForItsCategory(int index, string label)
    {
        var vector = Vector("reject", index);
        var name = NameOf(vector);

        var problem = SessionNameRules.Check(name);

        Assert.True(problem is not null, $"{label} was accepted");
        Assert.Equal(vector["category"]!.GetValue<string>(), JsonNamingPolicy.CamelCase.ConvertName(problem.Kind.ToString()));
        Assert.Equal(problem.Message, SessionNameRules.Problem(name));
    }

    [Fact]
    public void MaxLength_IsTheOneTheVectorsUse() =>
        Assert.Equal(SessionNameRules.MaxLength, Vectors["maxLength"]!.GetValue<int>());

    [Fact]
    public void Vectors_CoverEveryCategory()
    {
        var categories = Vectors["reject"]!.AsArray().Select(vector => vector!["category"]!.GetValue<string>()).ToHashSet();

        Assert.All(Enum.GetNames<NameProblemKind>(), kind => Assert.Contains(JsonNamingPolicy.CamelCase.ConvertName(kind), categories));
    }

    private static JsonNode Vector(string list, int index) => Vectors[list]![index]!;

    // "utf16" spells names System.Text.Json refuses to read as a string (unpaired surrogates).
    private static string NameOf(JsonNode vector) =>
        vector["utf16"] is JsonArray units
            ? new string([.. units.Select(unit => (char)unit!.GetValue<int>())])
            : vector["name"]!.GetValue<string>();

    private static TheoryData<int, string> Rows(string list)
    {
        var rows = new TheoryData<int, string>();
        var vectors = Vectors[list]!.AsArray();
        for (var index = 0; index < vectors.Count; index++)
        {
            var name = NameOf(vectors[index]!);
            rows.Add(index, name.Length > 24 ? $"{Escape(name[..12])}…({name.Length})" : Escape(name));
        }

        return rows;
    }

    private static string Escape(string name) =>
        string.Concat(name.Select(ch => ch is >= ' ' and <= '~' ? ch.ToString() : $"\\u{(int)ch:x4}"));
}
