namespace Plexus.Host.Tmux;

/// <summary>A message read from a tmux control client.</summary>
internal abstract record ControlMessage;

/// <summary>The output block of one command: <c>%begin</c> … <c>%end</c> (success) or <c>%error</c>.</summary>
internal sealed record ControlReply(long Number, bool FromThisClient, bool Success, IReadOnlyList<string> Lines) : ControlMessage
{
    public string ErrorText => string.Join(' ', Lines).Trim();
}

/// <summary>A notification such as <c>%sessions-changed</c>: its name without the percent sign, and the rest of the line.</summary>
internal sealed record ControlNotification(string Name, string Arguments) : ControlMessage
{
    /// <summary>The value of a <c>%subscription-changed</c>: everything after the first " : ".</summary>
    public string? SubscriptionValue
    {
        get
        {
            var separator = Arguments.IndexOf(" : ", StringComparison.Ordinal);
            return separator < 0 ? null : Arguments[(separator + 3)..];
        }
    }

    /// <summary>The first argument, e.g. the subscription name or a session id.</summary>
    public string FirstArgument
    {
        get
        {
            var space = Arguments.IndexOf(' ');
            return space < 0 ? Arguments : Arguments[..space];
        }
    }
}

/// <summary>
/// Turns control-mode lines into messages. tmux never interleaves notifications with an output block
/// (tmux(1), CONTROL MODE), so a block is closed only by the <c>%end</c>/<c>%error</c> line that repeats its
/// time, number and flags; a pane line that merely starts with "%end" stays text.
/// </summary>
internal sealed class ControlModeParser
{
    private string? openBlockSuffix;
    private long openBlockNumber;
    private bool openBlockFromClient;
    private List<string> openBlockLines = [];

    /// <summary>Feeds one line (without its newline); returns a message when one is complete.</summary>
    public ControlMessage? Feed(string line)
    {
        if (openBlockSuffix is not null)
        {
            if (line.StartsWith("%end ", StringComparison.Ordinal) && line.AsSpan(5).SequenceEqual(openBlockSuffix))
            {
                return CloseBlock(success: true);
            }

            if (line.StartsWith("%error ", StringComparison.Ordinal) && line.AsSpan(7).SequenceEqual(openBlockSuffix))
            {
                return CloseBlock(success: false);
            }

            openBlockLines.Add(line);
            return null;
        }

        if (line.StartsWith("%begin ", StringComparison.Ordinal))
        {
            openBlockSuffix = line[7..];
            var fields = openBlockSuffix.Split(' ');
            openBlockNumber = fields.Length > 1 && long.TryParse(fields[1], out var number) ? number : -1;

            // tmux sets flags to 1 for commands the client sent; the attach command given on tmux's own
            // command line reports 0 (tmux 3.3a).
            openBlockFromClient = fields.Length > 2 && fields[2] == "1";
            return null;
        }

        if (line.StartsWith('%'))
        {
            var space = line.IndexOf(' ');
            return space < 0
                ? new ControlNotification(line[1..], string.Empty)
                : new ControlNotification(line[1..space], line[(space + 1)..]);
        }

        // tmux writes nothing else outside blocks; ignore rather than fail on a future addition.
        return null;
    }

    private ControlReply CloseBlock(bool success)
    {
        var reply = new ControlReply(openBlockNumber, openBlockFromClient, success, openBlockLines);
        openBlockSuffix = null;
        openBlockLines = [];
        return reply;
    }
}
