using Plexus.Host.Protocol;

namespace Plexus.Host.Status.Detectors;

/// <summary>
/// Kiro CLI (successor of the Amazon Q Developer CLI), both UIs. Busy: "Kiro is working", "⠹ Thinking...",
/// "Working · type to queue a message", "Initializing...". Waiting: the legacy "Allow this action? Use 't' to
/// trust (always allow) this tool for the session. [y/n/t]:" and the TUI's "❯ Yes, single permission /
/// Trust, always allow in this session / No" and list selectors ("↑↓ to navigate · ↵ to select").
/// Idle: the legacy "[default] > " prompt or the TUI's "Ask a question or describe a task ↵".
/// </summary>
internal static class Kiro
{
    // "[default] >", "[dev] !>", "[dev] 50% λ >": the legacy prompt with agent, context use and pending changes.
    private const string LegacyPrompt = @"^\s*(?:\[[\w.-]+\]\s*)?(?:\d+%\s*)?(?:λ\s*)?!?>\s*$";

    public static AgentDetector Detector { get; } = new("kiro")
    {
        Kind = AgentKind.Kiro,
        HookVerdict = Hook,

        Commands = ["kiro-cli", "kiro-cli-chat", "kiro", "qchat"],

        Markers = Patterns.Of(
            @"(?i)\bkiro\b",
            @"[Aa]sk a question,? or describe a task",
            @"\[y/n/t\]",
            @"Trust, always allow"),

        Busy = Patterns.Of(
            @"Kiro is working",
            @"Thinking\.\.\.",
            @"(?i)\btype to queue a message\b",
            @"Initializing\.\.\.",
            @"(?i)\d+ of \d+ mcp servers initialized"),

        Permission = Patterns.Of(
            @"Allow this action\?",
            @"\[y/n/t\]",
            @"Yes, single permission",
            @"Trust, always allow",
            @"(?i)\brequires approval\b"),

        Question = Patterns.Of(
            @"↑↓ to navigate",
            @"↵ to select"),

        Idle = Patterns.Of(
            @"[Aa]sk a question,? or describe a task",
            @"(?i)\benter to send\b",
            LegacyPrompt),

        AnswerPrompt = Patterns.Of(LegacyPrompt),
    };

    // Kiro's hook triggers (agentSpawn, userPromptSubmit, preToolUse, postToolUse, stop); it has no permission hook,
    // so its prompts are read from the screen.
    private static StatusDecision? Hook(HookEvent hook) => hook.Name.ToLowerInvariant() switch
    {
        "userpromptsubmit" or "pretooluse" or "posttooluse" => HookVerdicts.Running,
        "stop" or "agentspawn" => HookVerdicts.Idle,
        _ => null,
    };
}
