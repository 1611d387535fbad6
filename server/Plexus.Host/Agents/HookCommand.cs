using System.Text;
using Plexus.Host.Protocol;

namespace Plexus.Host.Agents;

/// <summary>
/// The one shell command every Plexus hook runs, per agent and event (the contract in docs/protocol.md, "Agent
/// hooks and status"). Inside the agent's pane it sets the pane option <c>@plexus_hook</c> to
/// <c>&lt;agent&gt; &lt;Event&gt; &lt;payload&gt;</c> and rings the doorbell, in one tmux invocation.
/// </summary>
/// <remarks>
/// Plain POSIX sh with only tmux, tr and head, because the pane may be on another machine and the file that holds
/// the command must not point into a versioned extension folder. It prints nothing (Claude adds some hooks'
/// stdout to the model's context) and always exits 0 (exit 2 blocks the action in Claude).
/// </remarks>
internal static class HookCommand
{
    /// <summary>The pane option the status engine reads; also the marker that identifies Plexus's hook entries.</summary>
    public const string Option = "@plexus_hook";

    /// <summary>The payload is cut to this many bytes: the status engine needs the first fields, not a tool's full input.</summary>
    public const int MaxPayloadBytes = 3000;

    /// <summary>The name each agent has in the option's value.</summary>
    public static string AgentWord(AgentKind agent) => agent switch
    {
        AgentKind.Claude => "claude",
        AgentKind.Codex => "codex",
        AgentKind.Gemini => "gemini",
        AgentKind.Kiro => "kiro",
        _ => throw new ArgumentOutOfRangeException(nameof(agent)),
    };

    /// <summary>The command for one event of one agent, as the agent's settings hold it.</summary>
    /// <remarks>
    /// - stdin is read to its end, past the cut (the second tr drains it) and outside tmux too, so an agent writing
    ///   its payload never meets a closed pipe.
    /// - tmux takes an argument that ends in <c>;</c> as a command separator even when it came from argv
    ///   (cmd-parse.c, tmux 3.3a), so a payload cut right after a <c>;</c> gets a space appended.
    /// - The doorbell: tmux re-evaluates <c>refresh-client -B</c> subscriptions only once a second, but
    ///   rename-window sends <c>%window-renamed</c> to control clients at once, even for the same name (it expands
    ///   <c>#{window_name}</c> itself). rename-window turns automatic-rename off, so the window's setting is saved
    ///   in a pane option first and restored after it, in the same command list: nothing runs in between.
    /// </remarks>
    public static string For(AgentKind agent, string hookEvent)
    {
        if (hookEvent.Length == 0 || !hookEvent.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{hookEvent}' is not an agent hook event name.", nameof(hookEvent));
        }

        var value = $"{AgentWord(agent)} {hookEvent} $p";
        return new StringBuilder()
            .Append("{ p=$(tr -d '\\r\\n' | { head -c ").Append(MaxPayloadBytes).Append("; tr -d '\\000-\\377'; }); ")
            .Append("[ -z \"$TMUX_PANE\" ] || { ")
            .Append("case $p in *';') p=\"$p \" ;; esac; ")
            .Append("tmux set-option -p -t \"$TMUX_PANE\" ").Append(Option).Append(" \"").Append(value).Append("\" ';' ")
            .Append("set-option -p -t \"$TMUX_PANE\" -F @plexus_ar '#{automatic-rename}' ';' ")
            .Append("rename-window -t \"$TMUX_PANE\" '#{window_name}' ';' ")
            .Append("set-option -w -t \"$TMUX_PANE\" -F automatic-rename '#{@plexus_ar}'; ")
            .Append("}; } >/dev/null 2>&1; exit 0")
            .ToString();
    }

    /// <summary>Whether a hook command is one of Plexus's (what install and uninstall look for).</summary>
    public static bool IsPlexus(string? command) => command is not null && command.Contains(Option, StringComparison.Ordinal);
}
