namespace Plexus.Host.Tmux;

/// <summary>
/// Which names Plexus may give a session. tmux silently rewrites some characters (<c>.</c> and <c>:</c> to
/// <c>_</c>, <c>$</c> and <c>\</c> to escapes, control characters to octal; tested on tmux 3.3a), which would leave
/// the user with a session under a name they never typed and could not target. Existing sessions are listed
/// and attached whatever their name.
/// </summary>
internal static class SessionNameRules
{
    public const int MaxLength = 128;

    /// <summary>Returns why <paramref name="name"/> cannot be used, or null when it can.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "A session name cannot be empty.";
        }

        if (name.Length > MaxLength)
        {
            return $"A session name can have at most {MaxLength} characters.";
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return "A session name cannot be only spaces.";
        }

        foreach (var ch in name)
        {
            if (ch is '.' or ':')
            {
                return $"A session name cannot contain '{ch}' (tmux uses it to separate targets).";
            }

            if (ch is '$' or '\\')
            {
                return $"A session name cannot contain '{ch}' (tmux would rewrite it).";
            }

            if (char.IsControl(ch))
            {
                return "A session name cannot contain control characters.";
            }
        }

        return null;
    }
}
