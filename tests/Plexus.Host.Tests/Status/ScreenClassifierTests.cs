using Plexus.Host.Protocol;
using Plexus.Host.Status;

namespace Plexus.Host.Tests.Status;

public sealed class ScreenClassifierTests
{
    private static string Screen(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Status", "Screens", name));

    private static ScreenVerdict Classify(string fixture, string command) =>
        ScreenClassifier.Classify(Screen(fixture), command);

    [Fact]
    public void Classify_ClaudeThinkingSpinner_IsBusy()
    {
        var verdict = Classify("claude-thinking.txt", "claude");

        Assert.Equal(ScreenKind.Busy, verdict.Kind);
        Assert.Equal("✻ Thinking… (12s · ↑ 1.2k tokens · esc to interrupt)", verdict.Detail);
        Assert.Equal("claude", verdict.Agent);
    }

    [Fact]
    public void Classify_ClaudeUnderGenericNodeCommand_IsRecognisedByScreen()
    {
        var verdict = Classify("claude-thinking.txt", "node");

        Assert.Equal(ScreenKind.Busy, verdict.Kind);
        Assert.Equal("claude", verdict.Agent);
    }

    [Fact]
    public void Classify_ClaudeVersionNamedBinary_IsClaude()
    {
        var verdict = Classify("claude-idle.txt", "2.0.76");

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
        Assert.Equal("claude", verdict.Agent);
    }

    [Fact]
    public void Classify_ClaudePermissionMenu_IsWaitingPermission()
    {
        var verdict = Classify("claude-permission-bash.txt", "claude");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Permission, verdict.Reason);
        Assert.Equal("Do you want to proceed?", verdict.Detail);
        Assert.Equal("claude", verdict.Agent);
    }

    [Fact]
    public void Classify_ClaudeEditPrompt_IsWaitingPermission()
    {
        var verdict = Classify("claude-permission-edit.txt", "claude");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Permission, verdict.Reason);
        Assert.Equal("Do you want to make this edit to client.ts?", verdict.Detail);
    }

    [Fact]
    public void Classify_ClaudeEmptyInputBoxUnderProseQuestion_IsIdle()
    {
        var verdict = Classify("claude-idle.txt", "claude");

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
        Assert.Null(verdict.Detail);
    }

    [Fact]
    public void Classify_ClaudeAskUserQuestionMenu_IsWaitingQuestion()
    {
        var verdict = Classify("claude-ask-question.txt", "claude");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Question, verdict.Reason);
        Assert.Equal("Which store should the session cache use?", verdict.Detail);
    }

    [Fact]
    public void Classify_StaleQuestionAboveFreshInputBox_IsIdle()
    {
        var verdict = Classify("claude-stale-question-above-input.txt", "claude");

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
    }

    [Fact]
    public void Classify_FrozenSpinnerFromScriptedFakeAgent_IsBusy()
    {
        var verdict = Classify("claude-frozen-busy-fake-agent.txt", "bash");

        Assert.Equal(ScreenKind.Busy, verdict.Kind);
        Assert.Equal("✶ Percolating… (41s · ↓ 2.3k tokens · esc to interrupt)", verdict.Detail);
        Assert.Equal("claude", verdict.Agent);
    }

    [Fact]
    public void Classify_ShellPromptBelowLeftoverSpinner_IsIdle()
    {
        var verdict = Classify("claude-interrupted-then-shell.txt", "bash");

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
    }

    [Fact]
    public void Classify_CodexWorkingAboveComposer_IsBusy()
    {
        var verdict = Classify("codex-working.txt", "codex");

        Assert.Equal(ScreenKind.Busy, verdict.Kind);
        Assert.Equal("• Working (14s • esc to interrupt)", verdict.Detail);
        Assert.Equal("codex", verdict.Agent);
    }

    [Fact]
    public void Classify_CodexApprovalOverlay_IsWaitingPermission()
    {
        var verdict = Classify("codex-approval.txt", "codex");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Permission, verdict.Reason);
        Assert.Equal("Would you like to run the following command? — npm run test:integration -- checkout", verdict.Detail);
    }

    [Fact]
    public void Classify_CodexLegacyAllowCommand_IsWaitingPermission()
    {
        var verdict = Classify("codex-allow-command-legacy.txt", "codex");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Permission, verdict.Reason);
        Assert.Equal("Allow command?", verdict.Detail);
    }

    [Fact]
    public void Classify_CodexComposerAfterTurn_IsIdle()
    {
        var verdict = Classify("codex-idle.txt", "node");

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
        Assert.Equal("codex", verdict.Agent);
    }

    [Fact]
    public void Classify_GeminiLoadingLine_IsBusy()
    {
        var verdict = Classify("gemini-busy.txt", "gemini");

        Assert.Equal(ScreenKind.Busy, verdict.Kind);
        Assert.Equal("⠏ Reticulating splines... (esc to cancel, 8s)", verdict.Detail);
        Assert.Equal("gemini", verdict.Agent);
    }

    [Fact]
    public void Classify_GeminiApplyChange_IsWaitingPermission()
    {
        var verdict = Classify("gemini-apply-change.txt", "node");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Permission, verdict.Reason);
        Assert.Equal("Apply this change?", verdict.Detail);
        Assert.Equal("gemini", verdict.Agent);
    }

    [Fact]
    public void Classify_GeminiAllowExecution_IsWaitingPermission()
    {
        var verdict = Classify("gemini-allow-execution.txt", "gemini");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Permission, verdict.Reason);
        Assert.Equal("Allow execution of: 'npm'? — npm install left-pad (install the dependency)", verdict.Detail);
    }

    [Fact]
    public void Classify_GeminiInputBox_IsIdle()
    {
        var verdict = Classify("gemini-idle.txt", "gemini");

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
    }

    [Fact]
    public void Classify_KiroLegacyToolPromptWithAnswerPromptBelow_IsWaitingPermission()
    {
        var verdict = Classify("kiro-legacy-permission.txt", "kiro-cli");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Permission, verdict.Reason);
        Assert.StartsWith("Allow this action?", verdict.Detail);
        Assert.Equal("kiro", verdict.Agent);
    }

    [Fact]
    public void Classify_KiroThinkingSpinner_IsBusy()
    {
        var verdict = Classify("kiro-thinking.txt", "kiro-cli");

        Assert.Equal(ScreenKind.Busy, verdict.Kind);
        Assert.Equal("⠹ Thinking...", verdict.Detail);
    }

    [Fact]
    public void Classify_KiroLegacyPrompt_IsIdle()
    {
        var verdict = Classify("kiro-idle.txt", "kiro-cli");

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
    }

    [Fact]
    public void Classify_KiroTuiApprovalMenu_IsWaitingPermission()
    {
        var verdict = Classify("kiro-tui-permission.txt", "kiro-cli-chat");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Permission, verdict.Reason);
    }

    [Fact]
    public void Classify_KiroTuiWorkingAboveInputBox_IsBusy()
    {
        var verdict = Classify("kiro-tui-working.txt", "kiro-cli");

        Assert.Equal(ScreenKind.Busy, verdict.Kind);
        Assert.Equal("Working · type to queue a message", verdict.Detail);
    }

    [Fact]
    public void Classify_BashPromptWithTrailingBlankRows_IsIdle()
    {
        var verdict = Classify("bash-prompt.txt", "bash");

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
        Assert.Null(verdict.Agent);
    }

    [Fact]
    public void Classify_AnsweredYesNoAboveShellPrompt_IsIdle()
    {
        var verdict = Classify("bash-stale-yn-then-prompt.txt", "bash");

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
    }

    [Fact]
    public void Classify_AptConfirmation_IsWaitingPermission()
    {
        var verdict = Classify("apt-yn-prompt.txt", "apt");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Permission, verdict.Reason);
        Assert.Equal("Do you want to continue? [Y/n]", verdict.Detail);
        Assert.Null(verdict.Agent);
    }

    [Fact]
    public void Classify_ScriptYesNoPromptUnderShellCommand_IsWaitingPermission()
    {
        var verdict = Classify("script-yn-prompt.txt", "bash");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Permission, verdict.Reason);
        Assert.Equal("Continue? [y/N]", verdict.Detail);
    }

    [Fact]
    public void Classify_PressEnterToContinue_IsWaitingInput()
    {
        var verdict = Classify("press-enter.txt", "bash");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Input, verdict.Reason);
        Assert.Equal("Press Enter to continue, or Ctrl+C to abort...", verdict.Detail);
    }

    [Fact]
    public void Classify_SudoPasswordPrompt_IsWaitingInput()
    {
        var verdict = Classify("sudo-password.txt", "sudo");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Input, verdict.Reason);
        Assert.Equal("[sudo] password for dev:", verdict.Detail);
    }

    [Fact]
    public void Classify_InteractiveSelectMenu_IsWaitingQuestion()
    {
        var verdict = Classify("inquirer-select.txt", "node");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal(WaitingReason.Question, verdict.Reason);
        Assert.StartsWith("? Select a framework:", verdict.Detail);
    }

    [Fact]
    public void Classify_EditorWithoutPromptOrQuestion_IsUnknown()
    {
        var verdict = Classify("vim-editing.txt", "vim");

        Assert.Equal(ScreenKind.Unknown, verdict.Kind);
    }

    [Fact]
    public void Classify_ReplAtItsPrompt_IsIdle()
    {
        var verdict = Classify("python-repl.txt", "python3");

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
    }

    [Fact]
    public void Classify_QuestionScrolledFarAboveBottom_DoesNotCount()
    {
        var verdict = Classify("long-transcript-old-question.txt", "node");

        Assert.Equal(ScreenKind.Unknown, verdict.Kind);
    }

    [Fact]
    public void Classify_BusyLineScrolledOutOfBottomWindow_DoesNotCount()
    {
        var output = string.Join('\n', Enumerable.Range(1, 25).Select(i => $"compiling crate {i}"));
        var screen = "✻ Thinking… (3s · esc to interrupt)\n" + output;

        var verdict = ScreenClassifier.Classify(screen, "node");

        Assert.Equal(ScreenKind.Unknown, verdict.Kind);
    }

    [Fact]
    public void Classify_BusyLineAfterOldQuestion_IsBusy()
    {
        var screen = "Do you want to proceed?\n❯ 1. Yes\n⏺ Bash(npm test)\n✻ Running… (4s · esc to interrupt)\n";

        var verdict = ScreenClassifier.Classify(screen, "claude");

        Assert.Equal(ScreenKind.Busy, verdict.Kind);
    }

    [Fact]
    public void Classify_QuestionBelowOldBusyLine_IsWaiting()
    {
        var screen = "✻ Running… (4s · esc to interrupt)\nOverwrite build/out.bin? [y/N]";

        var verdict = ScreenClassifier.Classify(screen, "bash");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal("Overwrite build/out.bin? [y/N]", verdict.Detail);
    }

    [Fact]
    public void Classify_AnsweredYesNoWithProgramStillRunning_IsNotWaiting()
    {
        var verdict = ScreenClassifier.Classify("Overwrite build/out.bin? [y/N] y\n", "cp");

        Assert.Equal(ScreenKind.Unknown, verdict.Kind);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("-zsh")]
    [InlineData("/usr/bin/fish")]
    public void Classify_BlankScreenInShell_IsIdle(string command)
    {
        var verdict = ScreenClassifier.Classify("\n\n   \n", command);

        Assert.Equal(ScreenKind.Idle, verdict.Kind);
    }

    [Fact]
    public void Classify_BlankScreenInOtherProgram_IsUnknown()
    {
        var verdict = ScreenClassifier.Classify(string.Empty, "make");

        Assert.Equal(ScreenKind.Unknown, verdict.Kind);
    }

    [Fact]
    public void Classify_CarriageReturnLineEndings_AreIgnored()
    {
        var verdict = ScreenClassifier.Classify("Reading state...\r\nDo you want to continue? [Y/n]\r\n", "apt");

        Assert.Equal(ScreenKind.Waiting, verdict.Kind);
        Assert.Equal("Do you want to continue? [Y/n]", verdict.Detail);
    }

    [Fact]
    public void Classify_PathologicalRows_AreUnknown_WithoutThrowing()
    {
        var row = new string('a', 5000) + new string(' ', 3000) + "(" + new string('…', 2000);
        var screen = string.Join('\n', Enumerable.Repeat(row, 60));

        var verdict = ScreenClassifier.Classify(screen, "node");

        Assert.Equal(ScreenKind.Unknown, verdict.Kind);
    }
}
