using Plexus.Host.Protocol;

namespace Plexus.Host.Status.Detectors;

/// <summary>
/// Claude Code (Anthropic). Busy: the spinner line "✻ Thinking… (12s · ↑ 1.2k tokens · esc to interrupt)".
/// Waiting: the tool permission menu "Do you want to proceed? ❯ 1. Yes / 2. Yes, and don't ask again … /
/// 3. No, and tell Claude what to do differently (esc)", edit and trust prompts, AskUserQuestion menus.
/// Idle: the empty input box ("│ > │" in 1.x, "> " between rules in 2.x) with its "? for shortcuts" footer.
/// </summary>
internal static class ClaudeCode
{
    public static AgentDetector Detector { get; } = new("claude")
    {
        Kind = AgentKind.Claude,
        HookVerdict = Hook,

        // "✳ Claude Code" in every state: it names the agent and says nothing about its status.
        Title = static title => title.Contains("Claude Code", StringComparison.Ordinal) ? new TitleSignal(null) : null,

        Commands = ["claude"],

        // The native installer runs ~/.local/share/claude/versions/<version>, so tmux reports the version as the command.
        CommandPattern = Patterns.Compile(@"^\d+\.\d+\.\d+$"),

        Markers = Patterns.Of(
            @"Claude Code",
            @"tell Claude what to do differently",
            @"^\s*⏺\s",
            @"^\s*⎿\s",
            @"^\s*[·✢✳✶✻✽]\s*\S.*…\s*\((?:\d|esc)"),

        Busy = Patterns.Of(
            @"(?i)\besc to interrupt\b",
            @"(?i)\bctrl\+c to interrupt\b",

            // Spinner, verb, ellipsis and a running timer: still busy when spinnerVerbs are customised or a build
            // drops the "esc to interrupt" hint; the finished "✻ Cooked for 1m 2s" line has no ellipsis.
            @"^\s*[·✢✳✶✻✽*]\s*\S.*…\s*\((?:\d|esc)"),

        Permission = Patterns.Of(
            @"^[\s│]*Do you want to .*\?",
            @"^[\s│]*Would you like to proceed\?",
            @"tell Claude what to do differently",
            @"Yes, and don't ask again",
            @"Yes, allow all edits",
            @"Yes, and always allow",
            @"Do you trust the files in this folder\?",
            @"^[\s│]*❯\s*1\.\s*Yes\b",
            @"^\s*Esc to cancel · Tab to amend"),

        Question = Patterns.Of(
            @"(?i)\bEnter to select\b",
            @"(?i)(?:↑/↓|Tab/Arrow keys) to navigate",
            @"^[\s│]*❯\s*\d+\.\s+\S"),

        // "● API Error: 500 …" with "❯ Resend your message to try again" in the input (2.1.x; hook StopFailure).
        Error = Patterns.Of(@"^\s*[●⏺]\s*API Error\b"),

        // The user's prompt in the transcript; the input box's own "❯" sits in the bottom rows, which Turn skips.
        Turn = Patterns.Of(@"^❯ (?!Resend your message)\S"),

        // The command sits between two dashed rules above "Do you want to proceed?".
        SubjectBelow = Patterns.Compile(@"^\s*╌{3,}$"),

        Idle = Patterns.Of(
            @"^\s*│\s*>(?:\s|$)",
            @"^\s*[>❯](?:\s|$)",
            @"\? for shortcuts",
            @"(?i)\(shift\+tab to cycle\)"),
    };

    // Hook events of Claude Code 2.1 (tests/agents/RESULTS.md): a question is the AskUserQuestion tool, asked through
    // PermissionRequest; the "permission_prompt" notification follows ~6 s later without the tool, so it keeps the
    // reason and detail already known (the engine does that for any waiting verdict that follows another).
    // SessionStart means "at the input" when the agent starts, resumes or clears; after a compaction ("compact") it
    // fires in the middle of a turn and says nothing.
    private static StatusDecision? Hook(HookEvent hook) => hook.Name switch
    {
        "SessionStart" when hook.Source is "startup" or "resume" or "clear" => HookVerdicts.Idle,
        "PreToolUse" or "PermissionRequest" when hook.ToolName == "AskUserQuestion" => HookVerdicts.Question(hook),
        "PermissionRequest" => HookVerdicts.Permission(hook),
        "UserPromptSubmit" or "PreToolUse" or "PostToolUse" or "PostToolUseFailure" or "SubagentStop" or "PreCompact" => HookVerdicts.Running,
        "Notification" => hook.NotificationType switch
        {
            "permission_prompt" => HookVerdicts.Permission(hook),
            "elicitation_dialog" => HookVerdicts.Question(hook),
            "idle_prompt" => HookVerdicts.Idle,
            _ => null,
        },
        "Stop" => HookVerdicts.Idle,
        "StopFailure" => HookVerdicts.Failed(hook),
        "SessionEnd" => HookVerdicts.Ended,
        _ => null,
    };
}
