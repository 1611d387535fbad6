using System.Text.RegularExpressions;
using Plexus.Host.Protocol;

namespace Plexus.Host.Status.Detectors;

/// <summary>
/// One agent's table: how to recognise it and which screen rows mean busy, waiting or idle.
/// Every pattern is matched against a single screen row (trailing blanks trimmed), never the whole screen,
/// so the classifier can reason about where on the screen a match sits.
/// </summary>
internal sealed record AgentDetector(string Name)
{
    /// <summary>False for the generic and shell tables: they never name an agent in a verdict.</summary>
    public bool IsAgent { get; init; } = true;

    /// <summary>Applies to every screen, whatever runs (yes/no prompts can come from any program).</summary>
    public bool AlwaysApplies { get; init; }

    /// <summary>The agent this table describes, as the protocol names it; null for the generic and shell tables.</summary>
    public AgentKind? Kind { get; init; }

    /// <summary>The status a hook event announces (null: the event says nothing about it).</summary>
    public Func<HookEvent, StatusDecision?>? HookVerdict { get; init; }

    /// <summary>Recognises the agent's pane title and what it says (null: not this agent's title).</summary>
    public Func<string, TitleSignal?>? Title { get; init; }

    /// <summary>Foreground command names (tmux <c>pane_current_command</c>), compared case-insensitively.</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>Matches command names that are not fixed, such as a version-named binary.</summary>
    public Regex? CommandPattern { get; init; }

    /// <summary>Rows that identify the agent when the command is generic (node, a wrapper script).</summary>
    public IReadOnlyList<Regex> Markers { get; init; } = [];

    /// <summary>Rows shown only while the agent works (spinner lines, "esc to interrupt").</summary>
    public IReadOnlyList<Regex> Busy { get; init; } = [];

    /// <summary>Rows of a permission or yes/no prompt.</summary>
    public IReadOnlyList<Regex> Permission { get; init; } = [];

    /// <summary>Rows of a question or a selection menu.</summary>
    public IReadOnlyList<Regex> Question { get; init; } = [];

    /// <summary>Rows asking for a keypress or typed input ("Press Enter", passwords).</summary>
    public IReadOnlyList<Regex> Input { get; init; } = [];

    /// <summary>Rows of the agent's empty input box or ready footer; they never override a busy row.</summary>
    public IReadOnlyList<Regex> Idle { get; init; } = [];

    /// <summary>
    /// Prompts that count only on the very bottom row (a shell or REPL prompt); there they mean the program
    /// is back at its prompt, so any busy line above them is left over from before.
    /// </summary>
    public IReadOnlyList<Regex> BottomPrompt { get; init; } = [];

    /// <summary>
    /// Rows reporting that the agent's turn failed (an API error) while the agent itself runs on; they count
    /// only below the last <see cref="Turn"/> row, so an error from an earlier turn does not linger.
    /// </summary>
    public IReadOnlyList<Regex> Error { get; init; } = [];

    /// <summary>Transcript rows where a turn begins: the user's submitted prompt.</summary>
    public IReadOnlyList<Regex> Turn { get; init; } = [];

    /// <summary>
    /// Rows naming what a prompt asks about (the command); the group <c>subject</c> is the text. Tried on rows
    /// with their box edges trimmed, top down within the prompt.
    /// </summary>
    public IReadOnlyList<Regex> Subject { get; init; } = [];

    /// <summary>A rule that frames, above and below, the one row naming what the prompt asks about (Claude Code's command).</summary>
    public Regex? SubjectBelow { get; init; }

    /// <summary>
    /// Prompts where the user types the answer to the question on the row directly above (Kiro's legacy UI asks
    /// "[y/n/t]:" and then shows its normal "[default] >" prompt); there they do not make the question stale.
    /// </summary>
    public IReadOnlyList<Regex> AnswerPrompt { get; init; } = [];

    /// <summary>Whether this table applies to a pane running <paramref name="command"/> showing <paramref name="rows"/>.</summary>
    public bool Recognises(string command, IReadOnlyList<string> rows) =>
        AlwaysApplies || IsCommand(command) || rows.Any(row => Patterns.AnyMatch(Markers, row));

    /// <summary>Whether <paramref name="command"/> is one of this agent's own command names.</summary>
    public bool IsCommand(string command) =>
        Commands.Contains(command, StringComparer.OrdinalIgnoreCase) ||
        (CommandPattern is not null && Patterns.IsMatch(CommandPattern, command));
}

/// <summary>Builds and runs the detector patterns the same way everywhere.</summary>
internal static class Patterns
{
    // A screen row is at most a few hundred characters, so a pattern that needs longer than this is a bug;
    // the timeout turns a catastrophic backtrack into a non-match instead of a hung status engine.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>Compiles the given patterns with the options every detector uses.</summary>
    public static IReadOnlyList<Regex> Of(params string[] patterns) =>
        [.. patterns.Select(Compile)];

    /// <summary>Compiles one pattern: culture-invariant, compiled once, with a match timeout.</summary>
    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>True when <paramref name="regex"/> matches; a timeout counts as no match so callers never throw.</summary>
    public static bool IsMatch(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>The match of <paramref name="regex"/> in <paramref name="text"/>, or null on a timeout.</summary>
    public static Match? Match(Regex regex, string text)
    {
        try
        {
            return regex.Match(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    /// <summary>True when any of <paramref name="patterns"/> matches <paramref name="text"/>.</summary>
    public static bool AnyMatch(IReadOnlyList<Regex> patterns, string text)
    {
        foreach (var pattern in patterns)
        {
            if (IsMatch(pattern, text))
            {
                return true;
            }
        }

        return false;
    }
}
