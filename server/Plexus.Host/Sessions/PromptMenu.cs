using System.Text.RegularExpressions;
using Plexus.Host.Protocol;

namespace Plexus.Host.Sessions;

/// <summary>
/// The numbered menu an agent draws when it asks (Claude Code "Do you want to proceed? ❯ 1. Yes …", Codex
/// "› 1. Yes, proceed (y)", Gemini "│ ● 1. Allow once │", their question menus), or a plain "[y/N]" prompt, read
/// from the bottom of the screen: what was asked, the choices, and the key that picks each. All three agents take
/// a choice's number as "select and submit"; a choice that names its own key in parentheses, like Codex's
/// "(y)" or "(esc)", gets that key instead.
/// </summary>
internal sealed partial record PromptMenu(string? Question, IReadOnlyList<MenuChoice> Choices, bool EnterAfterKey)
{
    // How far up from the bottom a menu may start: the tallest real menu (Claude's question) spans ~15 rows.
    private const int SearchRows = 30;

    // Description lines may sit between two choices (Claude and Gemini print one under each option).
    private const int MaxGapBetweenChoices = 3;

    /// <summary>Reads the menu at the bottom of <paramref name="screen"/>; null when the screen asks nothing.</summary>
    public static PromptMenu? Read(string screen)
    {
        var rows = screen.ReplaceLineEndings("\n").Split('\n').Select(StripBox).ToList();
        while (rows.Count > 0 && rows[^1].Length == 0)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return ReadNumbered(rows) ?? ReadYesNo(rows);
    }

    /// <summary>The key for "allow" (the first yes/allow choice) or "deny" (the first no/deny choice), or a choice by number.</summary>
    public MenuChoice? Find(string answer) => answer switch
    {
        "allow" => Choices.FirstOrDefault(choice => AllowWord().IsMatch(choice.Label)),
        "deny" => Choices.FirstOrDefault(choice => DenyWord().IsMatch(choice.Label)),
        _ => Choices.FirstOrDefault(choice => choice.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == answer),
    };

    /// <summary>True when this menu is <paramref name="other"/> still: the same question and the same choices.</summary>
    public bool Asks(PromptMenu other) =>
        Question == other.Question && Choices.Select(choice => choice.Label).SequenceEqual(other.Choices.Select(choice => choice.Label));

    private static PromptMenu? ReadNumbered(List<string> rows)
    {
        var first = Math.Max(0, rows.Count - SearchRows);
        var choices = new List<(int Row, MenuChoice Choice)>();
        for (var row = rows.Count - 1; row >= first; row--)
        {
            if (ChoiceRow().Match(rows[row]) is not { Success: true } match)
            {
                continue;
            }

            var number = int.Parse(match.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var expected = choices.Count == 0 ? (int?)null : choices[^1].Choice.Number - 1;
            if (expected is { } previous && (number != previous || choices[^1].Row - row > MaxGapBetweenChoices + 1))
            {
                break;
            }

            var label = match.Groups["label"].Value.Trim();
            choices.Add((row, new MenuChoice(number, Tidy(label), KeyFor(number, label))));
            if (number == 1)
            {
                break;
            }
        }

        if (choices.Count < 2 || choices[^1].Choice.Number != 1)
        {
            return null;
        }

        choices.Reverse();
        // The nearest line above the choices that asks; Codex puts a "Reason: …?" field between its question and menu.
        var question = rows.Take(choices[0].Row).Reverse().Select(line => line.Trim())
            .FirstOrDefault(line => line.EndsWith('?') && !FieldRow().IsMatch(line));
        return new PromptMenu(question, choices.Select(entry => entry.Choice).ToList(), EnterAfterKey: false);
    }

    private static PromptMenu? ReadYesNo(List<string> rows)
    {
        var last = rows.Count == 0 ? string.Empty : rows[^1].Trim();
        if (!YesNo().IsMatch(last))
        {
            return null;
        }

        return new PromptMenu(last, [new MenuChoice(1, "Yes", "y"), new MenuChoice(2, "No", "n")], EnterAfterKey: true);
    }

    // "(y)", "(p)", "(esc)" at the end of a label name the key that picks it; tmux spells Escape as "Escape".
    private static string KeyFor(int number, string label) =>
        KeyHint().Match(label) is { Success: true } hint
            ? hint.Groups["key"].Value.Equals("esc", StringComparison.OrdinalIgnoreCase) ? "Escape" : hint.Groups["key"].Value
            : number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Tidy(string label) => Spaces().Replace(label, " ");

    private static string StripBox(string row) => row.Trim().Trim('│').Trim().Trim('│').TrimEnd();

    [GeneratedRegex(@"^(?:[❯›●>]\s*)?(?<number>[1-9])\.\s+(?<label>\S.*)$")]
    private static partial Regex ChoiceRow();

    [GeneratedRegex(@"\((?<key>[a-z]|esc)\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex KeyHint();

    [GeneratedRegex(@"^(yes|allow|approve|proceed)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AllowWord();

    [GeneratedRegex(@"^(no|deny|reject|don't)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DenyWord();

    [GeneratedRegex(@"(\[y/n\]|\(y/n\)|\[yes/no\]|\(yes/no\))\s*:?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex YesNo();

    [GeneratedRegex(@"^\w+:\s")]
    private static partial Regex FieldRow();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();
}

/// <summary>One choice of a menu: its number as drawn, its label, and the tmux key that picks it.</summary>
internal sealed record MenuChoice(int Number, string Label, string Key);
