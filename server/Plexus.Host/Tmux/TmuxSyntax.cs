using System.Text;

namespace Plexus.Host.Tmux;

/// <summary>
/// Writes arguments in tmux's own command syntax, the language a control client speaks. Names and user text
/// only ever reach tmux through here: never through a shell.
/// </summary>
internal static class TmuxSyntax
{
    /// <summary>
    /// Double-quotes <paramref name="value"/> for tmux's command parser. Inside double quotes tmux expands
    /// <c>$VAR</c> and interprets backslash escapes, so both are escaped; it also expands a <c>~</c> that opens the
    /// quotes into a home folder, so every <c>~</c> is escaped too. Control characters become octal escapes
    /// because a raw newline would end the command line (verified on tmux 3.3a).
    /// </summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '\\': builder.Append(@"\\"); break;
                case '"': builder.Append("\\\""); break;
                case '$': builder.Append("\\$"); break;
                case '~': builder.Append("\\~"); break;
                case < ' ' or '\u007f':
                    builder.Append('\\').Append(Convert.ToString(ch, 8).PadLeft(3, '0'));
                    break;
                default: builder.Append(ch); break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>
    /// Escapes a literal for arguments tmux expands as formats (new-session -s, rename-session, -c): every
    /// <c>#</c> is doubled, except before <c>[</c>, where tmux keeps <c>##[</c> as two characters (tmux 3.3a).
    /// Without this, a name like <c>#(cmd)</c> would run a command inside tmux.
    /// </summary>
    public static string FormatLiteral(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            builder.Append(value[i]);
            if (value[i] == '#' && (i + 1 >= value.Length || value[i + 1] != '['))
            {
                builder.Append('#');
            }
        }

        return builder.ToString();
    }

    /// <summary>Joins a command and its arguments into one control-mode line; each argument is quoted.</summary>
    public static string Command(string name, params IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Select(Quote).Prepend(name));
}
