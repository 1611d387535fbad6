using System.Text.RegularExpressions;
using Plexus.Host.Protocol;
using Plexus.Host.Status.Detectors;

namespace Plexus.Host.Status;

/// <summary>
/// Reads the plain text of a pane's visible screen (what <c>tmux capture-pane -p</c> prints) and decides whether
/// it shows a busy agent, a question for the user, or an idle prompt. Pure and cheap (about 0.1 ms a screen); it runs once
/// each time a session goes quiet, never per output.
/// </summary>
internal static class ScreenClassifier
{
    // Agents draw their state at the bottom (spinner, dialog, input box and footer fit in ~15 rows); older rows
    // are transcript, where quoted questions and spinner lines must not count.
    private const int WindowRows = 20;

    // A question counts only this close to the bottom; further up, something newer has replaced it.
    private const int NearBottomRows = 8;

    // How far above the lowest waiting row the question's headline (and a stronger reason) may sit:
    // a Claude Code permission box is about ten rows tall.
    private const int QuestionZoneRows = 12;

    // The input box and its footer fill the last few rows (Claude's "❯" between rules, Codex's composer, Gemini's
    // "> Type your message" box); a prompt-looking row there is the input, not a submitted turn.
    private const int InputRows = 4;

    private static readonly char[] BoxEdges = ['│', '┃', '║', '▌', '▐', ' ', '\t', '\u00A0'];

    /// <summary>Classifies <paramref name="screenText"/> shown by a pane whose foreground program is <paramref name="currentCommand"/>.</summary>
    public static ScreenVerdict Classify(string screenText, string currentCommand)
    {
        var command = DetectorTable.NormalizeCommand(currentCommand);
        var allRows = NonBlankRows(screenText ?? string.Empty);
        var rows = allRows.Count > WindowRows ? allRows.GetRange(allRows.Count - WindowRows, WindowRows) : allRows;
        var detectors = DetectorTable.For(command, allRows);
        var agent = (detectors.FirstOrDefault(d => d.IsAgent && d.IsCommand(command))
            ?? detectors.FirstOrDefault(d => d.IsAgent))?.Name;

        var last = rows.Count - 1;
        var matches = new RowMatch[rows.Count];
        for (var index = 0; index <= last; index++)
        {
            matches[index] = Match(rows[index], index == last, detectors);

            // The prompt right under a question is where its answer goes, not a sign the question is answered.
            if (index > 0 && matches[index - 1].Kind == RowKind.Waiting &&
                AnyMatch(detectors, static d => d.AnswerPrompt, rows[index]))
            {
                matches[index] = default;
            }
        }

        var waiting = Lowest(matches, RowKind.Waiting);
        var busy = Lowest(matches, RowKind.Busy);
        var idle = Math.Max(Lowest(matches, RowKind.Idle), Lowest(matches, RowKind.Prompt));

        // A question wins only when nothing newer (a busy line, an input box, a prompt) sits below it.
        if (waiting >= 0 && waiting > busy && waiting > idle && last - waiting <= NearBottomRows)
        {
            var zoneTop = Math.Max(Math.Max(busy, idle) + 1, Math.Max(waiting - QuestionZoneRows, 0));
            return new ScreenVerdict(
                ScreenKind.Waiting,
                StrongestReason(matches, zoneTop, waiting),
                WithSubject(QuestionLine(rows, zoneTop, waiting), Subject(rows, zoneTop, waiting, detectors)),
                agent);
        }

        // A failed turn: the agent reports the error and is back at its input, so only a newer turn or a busy
        // row below the error makes it old news.
        var error = LowestMatching(rows, 0, last, detectors, static d => d.Error);
        if (error >= 0 && error > busy && error > LowestMatching(rows, 0, last - InputRows, detectors, static d => d.Turn))
        {
            return new ScreenVerdict(ScreenKind.Error, Detail: Strip(rows[error]), Agent: agent);
        }

        // A shell or REPL prompt on the bottom row means the program is back at its prompt: a spinner line
        // above it was left by a program that has since exited or been interrupted.
        if (last >= 0 && matches[last].Kind == RowKind.Prompt)
        {
            return new ScreenVerdict(ScreenKind.Idle, Agent: agent);
        }

        // Agents keep their input box on screen while they work, so a busy row beats an idle row below it.
        if (busy >= 0)
        {
            return new ScreenVerdict(ScreenKind.Busy, Detail: Strip(rows[busy]), Agent: agent);
        }

        if (idle >= 0 && last - idle <= NearBottomRows)
        {
            return new ScreenVerdict(ScreenKind.Idle, Agent: agent);
        }

        return new ScreenVerdict(Shells.IsShell(command) ? ScreenKind.Idle : ScreenKind.Unknown, Agent: agent);
    }

    private static int LowestMatching(
        List<string> rows,
        int first,
        int lastRow,
        IReadOnlyList<AgentDetector> detectors,
        Func<AgentDetector, IReadOnlyList<Regex>> patterns)
    {
        for (var index = lastRow; index >= first; index--)
        {
            if (AnyMatch(detectors, patterns, rows[index]))
            {
                return index;
            }
        }

        return -1;
    }

    // What the prompt is about (the command to run), which the user needs more than the generic headline.
    private static string? Subject(List<string> rows, int zoneTop, int waiting, IReadOnlyList<AgentDetector> detectors)
    {
        for (var index = zoneTop; index <= waiting; index++)
        {
            var text = Strip(rows[index]);
            foreach (var detector in detectors)
            {
                // One row framed by the rule above and below: a diff between rules is no single subject.
                if (detector.SubjectBelow is { } rule && index > zoneTop && index < waiting && Patterns.IsMatch(rule, rows[index - 1]) &&
                    !Patterns.IsMatch(rule, rows[index]) && Patterns.IsMatch(rule, rows[index + 1]))
                {
                    return text;
                }

                foreach (var pattern in detector.Subject)
                {
                    if (Patterns.Match(pattern, text) is { Success: true } match)
                    {
                        return match.Groups["subject"].Value.Trim();
                    }
                }
            }
        }

        return null;
    }

    private static string WithSubject(string question, string? subject) =>
        string.IsNullOrEmpty(subject) || question.Contains(subject, StringComparison.Ordinal) ? question : $"{question} — {subject}";

    private static int Lowest(RowMatch[] matches, RowKind kind)
    {
        for (var index = matches.Length - 1; index >= 0; index--)
        {
            if (matches[index].Kind == kind)
            {
                return index;
            }
        }

        return -1;
    }

    private static List<string> NonBlankRows(string screenText)
    {
        var rows = new List<string>();
        foreach (var line in screenText.Split('\n'))
        {
            var row = line.TrimEnd();
            if (row.Length > 0)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    private static RowMatch Match(string row, bool isBottom, IReadOnlyList<AgentDetector> detectors)
    {
        if (AnyMatch(detectors, static d => d.Permission, row))
        {
            return new RowMatch(RowKind.Waiting, WaitingReason.Permission);
        }

        if (AnyMatch(detectors, static d => d.Question, row))
        {
            return new RowMatch(RowKind.Waiting, WaitingReason.Question);
        }

        if (AnyMatch(detectors, static d => d.Input, row))
        {
            return new RowMatch(RowKind.Waiting, WaitingReason.Input);
        }

        if (AnyMatch(detectors, static d => d.Busy, row))
        {
            return new RowMatch(RowKind.Busy);
        }

        if (isBottom && AnyMatch(detectors, static d => d.BottomPrompt, row))
        {
            return new RowMatch(RowKind.Prompt);
        }

        return AnyMatch(detectors, static d => d.Idle, row) ? new RowMatch(RowKind.Idle) : default;
    }

    private static bool AnyMatch(
        IReadOnlyList<AgentDetector> detectors,
        Func<AgentDetector, IReadOnlyList<Regex>> patterns,
        string row)
    {
        // Dialogs drawn in a box ("│ Allow execution of [Shell]? │") must match the same patterns as bare rows.
        var inner = Strip(row);
        foreach (var detector in detectors)
        {
            if (Patterns.AnyMatch(patterns(detector), row) || (inner.Length != row.Length && Patterns.AnyMatch(patterns(detector), inner)))
            {
                return true;
            }
        }

        return false;
    }

    // A dialog mixes rows (the headline, the options, a "press enter" footer); the most serious reason
    // among them describes it: a permission menu is a permission even though its footer says "Enter".
    private static WaitingReason StrongestReason(RowMatch[] matches, int zoneTop, int waiting)
    {
        var reason = WaitingReason.Input;
        for (var index = zoneTop; index <= waiting; index++)
        {
            if (matches[index].Kind == RowKind.Waiting && Rank(matches[index].Reason) > Rank(reason))
            {
                reason = matches[index].Reason;
            }
        }

        return reason;
    }

    private static int Rank(WaitingReason reason) => reason switch
    {
        WaitingReason.Permission => 3,
        WaitingReason.Question => 2,
        _ => 1,
    };

    // The user wants the question ("Do you want to proceed?"), not the option or footer row that matched
    // lowest; a row that carries its own question mark ("Overwrite? [y/N]") is its own headline.
    private static string QuestionLine(List<string> rows, int zoneTop, int waiting)
    {
        var lowest = Strip(rows[waiting]);
        if (lowest.Contains('?', StringComparison.Ordinal))
        {
            return lowest;
        }

        for (var index = waiting - 1; index >= zoneTop; index--)
        {
            var text = Strip(rows[index]);
            if (text.EndsWith('?'))
            {
                return text;
            }
        }

        return lowest;
    }

    private static string Strip(string row) => row.Trim(BoxEdges);

    private enum RowKind
    {
        None,
        Waiting,
        Busy,
        Idle,
        Prompt,
    }

    private readonly record struct RowMatch(RowKind Kind, WaitingReason Reason = WaitingReason.Input);
}
