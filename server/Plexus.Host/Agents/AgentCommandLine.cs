using System.Text;
using Plexus.Host.Protocol;

namespace Plexus.Host.Agents;

/// <summary>Where an agent's program word is in a session's command line.</summary>
/// <param name="Agent">The agent the program word names.</param>
/// <param name="ProgramEnd">The index just past the program word: Plexus's arguments go here.</param>
internal sealed record AgentProgram(AgentKind Agent, int ProgramEnd);

/// <summary>One shell word: where it is in the command line and what it means once unquoted.</summary>
internal sealed record ArgumentWord(int Start, int End, string Value);

/// <summary>
/// Reads just enough of a shell command line (tmux runs it with <c>sh -c</c>) to find its program word: leading
/// <c>VAR=value</c> assignments and <c>env VAR=value</c> are skipped, quotes are understood, and anything the
/// reader is not sure of (an expansion or operator before or in the program word, an <c>env</c> option) means
/// "not an agent", so a command is never rewritten on a guess.
/// </summary>
internal static class AgentCommandLine
{
    private const string OperatorCharacters = ";&|<>()\n";

    // Words that mean something only to the shell (keywords, and builtins with no program of the same use):
    // exec would fail on them or run them outside the shell they act on.
    private static readonly HashSet<string> ShellOwnWords =
    [
        "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "in",
        "function", "time", "coproc", "[[", "]]", "}", ".", ":", "source", "eval", "exec", "exit", "return", "break",
        "continue", "export", "readonly", "local", "declare", "typeset", "set", "unset", "shift", "trap", "cd", "pushd",
        "popd", "alias", "unalias", "read", "wait", "umask", "ulimit", "command", "builtin", "hash", "type", "jobs",
        "fg", "bg", "getopts", "let", "shopt", "times", "history", "fc", "disown", "enable",
    ];

    /// <summary>Finds the agent <paramref name="command"/> starts, or null.</summary>
    public static AgentProgram? Find(string? command)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            return null;
        }

        var position = 0;
        var afterEnv = false;
        while (ReadWord(command, ref position) is { } word)
        {
            if (word.Broken)
            {
                return null;
            }

            var equals = word.Value.IndexOf('=', StringComparison.Ordinal);
            if (IsAssignment(word, equals))
            {
                continue;
            }

            if (!afterEnv && word.Value == "env" && word.FirstExpansion < 0)
            {
                afterEnv = true;
                continue;
            }

            // ~/bin/claude or $HOME/bin/claude still names claude; an expansion in the last segment could be anything.
            var lastSegment = word.Value.LastIndexOf('/') + 1;
            var sure = word.FirstExpansion < lastSegment;
            return sure && Recognise(word.Value) is { } agent ? new AgentProgram(agent, position) : null;
        }

        return null;
    }

    /// <summary>
    /// The words of <paramref name="command"/> from <paramref name="start"/> on, each with its span in the text and its
    /// unquoted value; null when one is an operator or leaves a quote open (a pipeline, a list: not plain arguments).
    /// </summary>
    public static IReadOnlyList<ArgumentWord>? Arguments(string command, int start)
    {
        var words = new List<ArgumentWord>();
        var position = start;
        while (true)
        {
            while (position < command.Length && command[position] is ' ' or '\t')
            {
                position++;
            }

            var wordStart = position;
            if (ReadWord(command, ref position) is not { } word)
            {
                return words;
            }

            if (word.Broken)
            {
                return null;
            }

            words.Add(new ArgumentWord(wordStart, position, word.Value));
        }
    }

    /// <summary>
    /// <paramref name="command"/> with <c>exec</c> before its program word when it is one simple command, so the
    /// program replaces the shell tmux runs it with. dash (Debian's /bin/sh) and fish fork it instead, and tmux then
    /// names the pane's program "sh": the agent reads as a shell. Anything else (a list, a pipeline, a shell
    /// keyword or builtin, only assignments) is returned as it is.
    /// </summary>
    public static string WithExec(string command) =>
        LoneProgram(command) is { } program ? string.Concat(command.AsSpan(0, program.Start), "exec ", command.AsSpan(program.Start)) : command;

    /// <summary>
    /// The program <paramref name="command"/> runs when it is one simple command (as <see cref="WithExec"/> reads
    /// it), unquoted; null for anything else.
    /// </summary>
    public static string? ProgramOf(string command) => LoneProgram(command)?.Value;

    private static ArgumentWord? LoneProgram(string command)
    {
        var position = 0;
        while (true)
        {
            while (position < command.Length && command[position] is ' ' or '\t')
            {
                position++;
            }

            var wordStart = position;
            if (ReadWord(command, ref position) is not { } word || word.Broken)
            {
                return null;
            }

            if (IsAssignment(word, word.Value.IndexOf('=', StringComparison.Ordinal)))
            {
                continue;
            }

            var unquotedProgram = word.UnquotedPrefix == word.Value.Length && word.FirstExpansion < 0;
            if ((unquotedProgram && ShellOwnWords.Contains(word.Value)) || Arguments(command, position) is null)
            {
                return null;
            }

            return new ArgumentWord(wordStart, position, word.Value);
        }
    }

    /// <summary>The agent a program word names: its last path segment is claude, codex, gemini or kiro-cli.</summary>
    public static AgentKind? Recognise(string program) => program[(program.LastIndexOf('/') + 1)..] switch
    {
        "claude" => AgentKind.Claude,
        "codex" => AgentKind.Codex,
        "gemini" => AgentKind.Gemini,
        "kiro-cli" => AgentKind.Kiro,
        _ => null,
    };

    /// <summary>Quotes <paramref name="value"/> as one word for POSIX sh: single quotes, each <c>'</c> as <c>'\''</c>.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", @"'\''", StringComparison.Ordinal) + "'";

    private static bool IsAssignment(Word word, int equals)
    {
        return equals > 0
            && equals < word.UnquotedPrefix
            && (word.FirstExpansion < 0 || word.FirstExpansion > equals)
            && (char.IsAsciiLetter(word.Value[0]) || word.Value[0] == '_')
            && word.Value[..equals].All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');
    }

    /// <summary>
    /// Reads the next word from <paramref name="position"/>, leaving it just past the word. A word that starts
    /// with an operator or leaves a quote open is broken; where its first expansion (<c>$</c>, a glob, <c>~</c>)
    /// is, is for the caller to judge (<c>PATH=$HOME/bin:$PATH claude</c> is fine).
    /// </summary>
    private static Word? ReadWord(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
        {
            position++;
        }

        if (position >= text.Length)
        {
            return null;
        }

        if (OperatorCharacters.Contains(text[position], StringComparison.Ordinal) || text[position] is '#' or '{' or '!')
        {
            return new Word(string.Empty, 0, -1, Broken: true);
        }

        var value = new StringBuilder();
        var unquotedPrefix = -1;
        var expansion = -1;
        while (position < text.Length)
        {
            var ch = text[position];
            if (ch is ' ' or '\t' || OperatorCharacters.Contains(ch, StringComparison.Ordinal))
            {
                break;
            }

            if (unquotedPrefix < 0 && ch is '\'' or '"' or '\\')
            {
                unquotedPrefix = value.Length;
            }

            switch (ch)
            {
                case '\'':
                    var close = text.IndexOf('\'', position + 1);
                    if (close < 0)
                    {
                        return new Word(value.ToString(), 0, -1, Broken: true);
                    }

                    value.Append(text, position + 1, close - position - 1);
                    position = close + 1;
                    continue;
                case '"':
                    position++;
                    while (position < text.Length && text[position] != '"')
                    {
                        if (text[position] is '$' or '`')
                        {
                            expansion = expansion < 0 ? value.Length : expansion;
                        }

                        if (text[position] == '\\' && position + 1 < text.Length && text[position + 1] is '\\' or '"' or '$' or '`')
                        {
                            position++;
                        }

                        value.Append(text[position]);
                        position++;
                    }

                    if (position >= text.Length)
                    {
                        return new Word(value.ToString(), 0, -1, Broken: true);
                    }

                    position++;
                    continue;
                case '\\':
                    if (position + 1 < text.Length)
                    {
                        value.Append(text[position + 1]);
                    }

                    position += 2;
                    continue;
                case '$' or '`' or '*' or '?' or '[' or '~':
                    expansion = expansion < 0 ? value.Length : expansion;
                    break;
            }

            value.Append(ch);
            position++;
        }

        var word = value.ToString();
        return new Word(word, unquotedPrefix < 0 ? word.Length : unquotedPrefix, expansion, Broken: false);
    }

    /// <param name="UnquotedPrefix">How many leading characters were not quoted (an assignment's <c>=</c> must be among them).</param>
    /// <param name="FirstExpansion">Where in the value the first expansion starts, or -1.</param>
    private sealed record Word(string Value, int UnquotedPrefix, int FirstExpansion, bool Broken);
}
