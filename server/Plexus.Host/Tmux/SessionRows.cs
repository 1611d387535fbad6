using System.Globalization;

namespace Plexus.Host.Tmux;

/// <summary>What tmux reports about one session and its active pane.</summary>
internal sealed record TmuxSessionRow(
    string Id,
    string Name,
    int Windows,
    int Attached,
    long CreatedAt,
    string PaneId,
    int PanePid,
    bool PaneDead,
    int? PaneDeadStatus,
    int? PaneDeadSignal,
    string PaneCommand,
    long LastActivity,
    string PaneTitle,
    string AgentHook,
    string PaneCwd);

/// <summary>A list of sessions, with the session the control client itself sat in when it was taken.</summary>
internal sealed record SessionListing(IReadOnlyList<TmuxSessionRow> Rows, string? ControlSessionId);

/// <summary>
/// The one format Plexus reads sessions with, used both by <c>list-sessions</c> and by the
/// <c>refresh-client -B</c> subscription that loops over every session (<c>#{S:…}</c>). Fields are split by
/// the ASCII unit separator and sessions by the record separator: tmux never puts control characters in a
/// session name (it escapes them), and the working directory, the only free-form field, comes last.
/// <c>window_activity</c> is taken from every window, because tmux updates it on pane output, unlike
/// <c>session_activity</c>, which moves only on attach or keystrokes.
/// </summary>
internal static class SessionRows
{
    public const char FieldSeparator = '\u001f';
    public const char RecordSeparator = '\u001e';

    /// <summary>Subscription name for the all-sessions format.</summary>
    public const string SubscriptionName = "plexus-sessions";

    // No commas at the top level of the loop bodies: in #{S:a,b} and #{W:a,b} a comma starts the format
    // used for the current session or window.
    private static readonly string[] Fields =
    [
        "#{session_id}",
        "#{session_name}",
        "#{session_windows}",
        "#{session_attached}",
        "#{session_created}",
        "#{pane_id}",
        "#{pane_pid}",
        "#{pane_dead}",
        "#{pane_dead_status}",
        "#{pane_dead_signal}",
        "#{pane_current_command}",
        "#{W:#{window_activity} }",
        "#{pane_title}",

        // Set by the agent hooks Plexus installs (see docs/protocol.md, "Agent hooks"): what the agent last announced.
        "#{@plexus_hook}",
        "#{pane_current_path}",
    ];

    /// <summary>One session's record, for <c>list-sessions -F</c>.</summary>
    public static string RecordFormat { get; } = string.Join(FieldSeparator, Fields) + RecordSeparator;

    /// <summary>All sessions' records in one value, for <c>refresh-client -B</c>.</summary>
    public static string AllSessionsFormat { get; } = "#{S:" + RecordFormat + "}";

    public static string ListCommand { get; } = TmuxSyntax.Command("list-sessions", "-F", RecordFormat);

    /// <summary>
    /// The list and the control client's own session, read in one round trip so the two agree: tmux counts the
    /// control client among that session's attached clients, and Plexus leaves it out.
    /// </summary>
    public static IReadOnlyList<string> ListingCommands { get; } = [ListCommand, TmuxSyntax.Command("display-message", "-p", "#{session_id}")];

    /// <summary>Reads the replies of <see cref="ListingCommands"/>; a failed list is a <see cref="TmuxCommandException"/>.</summary>
    public static SessionListing ParseListing(ControlReply list, ControlReply controlSession) =>
        list.Success
            ? new SessionListing(Parse(string.Join('\n', list.Lines)), controlSession.Success ? controlSession.Lines.FirstOrDefault()?.Trim() : null)
            : throw new TmuxCommandException(list.ErrorText);

    public static string SubscribeCommand { get; } =
        TmuxSyntax.Command("refresh-client", "-B", $"{SubscriptionName}::{AllSessionsFormat}");

    /// <summary>Parses records from list-sessions lines or a subscription value; malformed records are skipped.</summary>
    public static List<TmuxSessionRow> Parse(string text)
    {
        var rows = new List<TmuxSessionRow>();
        foreach (var record in text.Split(RecordSeparator))
        {
            var fields = record.TrimStart('\n').Split(FieldSeparator);
            if (fields.Length < Fields.Length || !fields[0].StartsWith('$'))
            {
                continue;
            }

            rows.Add(new TmuxSessionRow(
                Id: fields[0],
                Name: fields[1],
                Windows: ParseInt(fields[2]) ?? 0,
                Attached: ParseInt(fields[3]) ?? 0,
                CreatedAt: ParseLong(fields[4]) ?? 0,
                PaneId: fields[5],
                PanePid: ParseInt(fields[6]) ?? 0,
                PaneDead: fields[7] == "1",
                PaneDeadStatus: ParseInt(fields[8]),
                PaneDeadSignal: ParseInt(fields[9]),
                PaneCommand: fields[10],
                LastActivity: fields[11].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParseLong).Max() ?? 0,
                PaneTitle: fields[12],
                AgentHook: fields[13],
                PaneCwd: string.Join(FieldSeparator, fields[14..])));
        }

        return rows;
    }

    private static int? ParseInt(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static long? ParseLong(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
