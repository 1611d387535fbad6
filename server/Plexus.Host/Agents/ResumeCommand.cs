using System.Text;
using Plexus.Host.Protocol;

namespace Plexus.Host.Agents;

/// <summary>
/// The command that brings a remembered session back: for a recognised agent whose own conversation id is known, the
/// user's command with the agent's resume argument for exactly that id (<c>claude --resume ID</c>,
/// <c>codex resume ID</c>, <c>gemini --resume ID</c>); any resume or continue argument the user's command had is taken
/// out, so the agent can never pick another conversation (the newest one in the folder). Anything else: the
/// user's command as it was.
/// </summary>
internal static class ResumeCommand
{
    // Claude Code: --resume/-r [id], --continue/-c, --session-id <id>, --fork-session (a fork gets a new id).
    private static readonly HashSet<string> ClaudeFlagsWithValue = ["--resume", "-r", "--session-id"];
    private static readonly HashSet<string> ClaudeFlags = ["--continue", "-c", "--fork-session"];

    // Gemini CLI: --resume/-r [id or "latest"].
    private static readonly HashSet<string> GeminiFlagsWithValue = ["--resume", "-r"];

    public static string? For(SessionRecord record)
    {
        if (record.Agent is not { } agent || string.IsNullOrEmpty(record.AgentSessionId)
            || AgentCommandLine.Find(record.Command) is not { } program || program.Agent != agent
            || AgentCommandLine.Arguments(record.Command!, program.ProgramEnd) is not { } arguments)
        {
            return record.Command;
        }

        var id = AgentCommandLine.ShellQuote(record.AgentSessionId);
        var head = record.Command![..program.ProgramEnd];
        return agent switch
        {
            AgentKind.Claude => Join(head + " --resume " + id, record.Command, Without(arguments, ClaudeFlagsWithValue, ClaudeFlags)),
            AgentKind.Gemini => Join(head + " --resume " + id, record.Command, Without(arguments, GeminiFlagsWithValue, [])),
            AgentKind.Codex => CodexResume(head, id, record.Command, arguments),
            _ => record.Command,
        };
    }

    // Codex's subcommands that are not its interactive conversation (codex --help); a first word that is none of
    // these or "resume" is a prompt.
    private static readonly HashSet<string> CodexOtherSubcommands =
        ["exec", "e", "login", "logout", "mcp", "mcp-server", "app-server", "completion", "sandbox", "debug", "apply", "a", "cloud", "features", "help"];

    /// <summary>
    /// <c>codex resume ID</c> then the user's arguments. A command that already was <c>codex resume …</c> loses its
    /// <c>--last</c> or id; one that ran another subcommand (<c>codex exec</c>) is not a conversation to resume.
    /// </summary>
    private static string? CodexResume(string head, string id, string command, IReadOnlyList<ArgumentWord> arguments)
    {
        var kept = arguments.ToList();
        if (kept.Count > 0 && CodexOtherSubcommands.Contains(kept[0].Value))
        {
            return command;
        }

        if (kept.Count > 0 && kept[0].Value == "resume")
        {
            kept.RemoveAt(0);
            if (kept.Count > 0 && (kept[0].Value == "--last" || !kept[0].Value.StartsWith('-')))
            {
                kept.RemoveAt(0);
            }

            kept.RemoveAll(word => word.Value == "--last");
        }

        return Join(head + " resume " + id, command, kept);
    }

    private static List<ArgumentWord> Without(IReadOnlyList<ArgumentWord> arguments, HashSet<string> withValue, HashSet<string> alone)
    {
        var kept = new List<ArgumentWord>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var value = arguments[i].Value;
            if (alone.Contains(value) || withValue.Any(flag => flag.StartsWith("--", StringComparison.Ordinal) && value.StartsWith(flag + "=", StringComparison.Ordinal)))
            {
                continue;
            }

            if (withValue.Contains(value))
            {
                // The value is optional for --resume (without it the agent shows a picker): the next word is its value
                // unless it is an option.
                if (i + 1 < arguments.Count && !arguments[i + 1].Value.StartsWith('-'))
                {
                    i++;
                }

                continue;
            }

            kept.Add(arguments[i]);
        }

        return kept;
    }

    /// <summary>The new start, then each kept word as the user wrote it (quotes and all).</summary>
    private static string Join(string start, string command, IEnumerable<ArgumentWord> kept)
    {
        var text = new StringBuilder(start);
        foreach (var word in kept)
        {
            text.Append(' ').Append(command, word.Start, word.End - word.Start);
        }

        return text.ToString();
    }
}
