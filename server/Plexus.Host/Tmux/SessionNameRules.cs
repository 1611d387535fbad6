using System.Buffers;
using System.Globalization;
using System.Text;

namespace Plexus.Host.Tmux;

/// <summary>
/// Which names Plexus may give a session. tmux silently rewrites some characters (<c>.</c> and <c>:</c> to
/// <c>_</c>, <c>$</c> and <c>\</c> to escapes, control characters to octal; tested on tmux 3.3a), which would leave
/// the user with a session under a name they never typed and could not target. Invisible and text-direction
/// characters (Unicode format characters) are refused too: tmux keeps them, but a name that looks like another
/// one, or whose text reads backwards, misleads whoever picks it from a list. Existing sessions are listed and
/// attached whatever their name. extension/names.ts applies the same rules; tests/data/session-names.json holds
/// the vectors both are tested against.
/// </summary>
internal static class SessionNameRules
{
    public const int MaxLength = 128;

    /// <summary>Returns why <paramref name="name"/> cannot be used, or null when it can.</summary>
    public static string? Problem(string? name) => Check(name)?.Message;

    /// <summary>Returns why <paramref name="name"/> cannot be used, with its category; the first offending character decides.</summary>
    public static NameProblem? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return new(NameProblemKind.Empty, "A session name cannot be empty.");
        }

        // UTF-16 code units, as tmux's limit and the TypeScript rule count them alike.
        if (name.Length > MaxLength)
        {
            return new(NameProblemKind.TooLong, $"A session name can have at most {MaxLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return new(NameProblemKind.Blank, "A session name cannot be only spaces.");
        }

        for (var index = 0; index < name.Length;)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(index), out var rune, out var consumed) != OperationStatus.Done)
            {
                return new(NameProblemKind.Malformed, "A session name cannot contain a broken (unpaired surrogate) character.");
            }

            index += consumed;
            if (rune.Value is '.' or ':')
            {
                return new(NameProblemKind.Separator, $"A session name cannot contain '{(char)rune.Value}' (tmux uses it to separate targets).");
            }

            if (rune.Value is '$' or '\\')
            {
                return new(NameProblemKind.Rewritten, $"A session name cannot contain '{(char)rune.Value}' (tmux would rewrite it).");
            }

            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control:
                    return new(NameProblemKind.Control, "A session name cannot contain control characters.");
                case UnicodeCategory.Format:
                    return new(NameProblemKind.Invisible, $"A session name cannot contain invisible or text-direction characters (U+{rune.Value:X4}).");
            }
        }

        return null;
    }
}

/// <summary>Why a name was refused; the categories of tests/data/session-names.json.</summary>
internal enum NameProblemKind
{
    Empty,
    TooLong,
    Blank,
    Separator,
    Rewritten,
    Control,
    Invisible,
    Malformed,
}

internal sealed record NameProblem(NameProblemKind Kind, string Message);
