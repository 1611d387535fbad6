using Plexus.Host.Protocol;
using Plexus.Host.Status;

namespace Plexus.Host.Tests.Status;

/// <summary>
/// Every screen captured from the real agents (tests/agents/capture.mjs) classified as the agent meant it.
/// The expected verdict follows from the file name, so a newly captured screen is checked without a new test.
/// </summary>
public sealed class RealScreenTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Status", "Screens", "real");

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void RealScreen_ClassifiesAsTheAgentShowedIt(string fixture)
    {
        var (agent, state) = Split(fixture);
        var expected = Expected(agent, state);
        var command = state == "exited" ? "bash" : agent == "gemini" ? "node" : agent;

        var verdict = ScreenClassifier.Classify(File.ReadAllText(Path.Combine(Folder, fixture)), command);

        Assert.Equal(expected.Kind, verdict.Kind);
        Assert.Equal(expected.Reason, verdict.Reason);
        if (expected.Detail is not null)
        {
            Assert.NotNull(verdict.Detail);
            Assert.Contains(expected.Detail, verdict.Detail, StringComparison.Ordinal);
        }

        if (state != "exited")
        {
            Assert.Equal(agent, verdict.Agent);
        }
    }

    [Fact]
    public void RealScreens_AreThere()
    {
        Assert.True(Fixtures().Count >= 36);
    }

    // "claude-2.1.328-permission-after-1.txt" -> ("claude", "permission-after-1").
    private static (string Agent, string State) Split(string fixture)
    {
        var parts = Path.GetFileNameWithoutExtension(fixture).Split('-', 3);
        return (parts[0], parts[2]);
    }

    private static ScreenVerdict Expected(string agent, string state) => (agent, state) switch
    {
        (_, "idle" or "done" or "interrupted" or "exited") => new(ScreenKind.Idle),
        // Codex and Gemini draw no busy marker while text streams (Codex's "• Working" goes at the first token, Gemini's
        // spinner row is overwritten by "? for shortcuts"): their titles say working, so the screen reads idle.
        ("codex" or "gemini", "working") => new(ScreenKind.Idle),
        (_, "working") => new(ScreenKind.Busy),
        ("gemini", "question-after-2") => new(ScreenKind.Idle),
        (_, "permission" or "permission-denied") => new(ScreenKind.Waiting, WaitingReason.Permission, PermissionDetail(agent)),
        (_, "question") => new(ScreenKind.Waiting, WaitingReason.Question, "Which color should the button be?"),
        (_, "error") => new(ScreenKind.Error, Detail: ErrorDetail(agent)),

        // Escape denied the request and the agent went back to its input.
        (_, "permission-denied-after-escape") => new(ScreenKind.Idle),

        // Codex: "y" ran the command and the turn finished at once ("Worked for 9s").
        ("codex", "permission-after-y") => new(ScreenKind.Idle),

        // Right after the answer the agent carries on with its turn ("esc to interrupt", "• Working", a hook spinner).
        (_, "permission-after-1" or "question-after-2" or "permission-denied-after-n") => new(ScreenKind.Busy),
        _ => throw new InvalidOperationException($"no expectation for {agent} {state}: add one"),
    };

    private static string PermissionDetail(string agent) => agent switch
    {
        "claude" => "touch marker-from-claude",
        "codex" => "touch /tmp/plexus-marker-from-codex",
        _ => "touch marker-from-gemini",
    };

    private static string ErrorDetail(string agent) => agent switch
    {
        "claude" => "API Error: 500",
        "codex" => "experiencing high demand",
        _ => "[API Error",
    };
}
