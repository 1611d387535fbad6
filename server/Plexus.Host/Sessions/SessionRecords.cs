using System.Globalization;
using System.Text;
using System.Text.Json;
using Plexus.Host.Protocol;

namespace Plexus.Host.Sessions;

/// <summary>
/// The sessions Plexus created on one tmux server, kept in one JSON file per server under
/// <c>$XDG_STATE_HOME/plexus/sessions/</c> so they can be restored after the server is gone (a reboot, or the server killed).
/// Every change is read-modify-write under an exclusive lock on a side file, and the new content goes to a temporary
/// file renamed over the old one: two hosts on the same server merge their changes, and a crash mid-write leaves
/// either the old file or the new one. A file that does not parse is renamed aside (<c>.corrupt-…</c>), never dropped.
/// </summary>
internal sealed class SessionRecords
{
    private const int FormatVersion = 1;

    // Another host holds the lock for the few milliseconds of one small write; ten seconds means it is stuck.
    private static readonly TimeSpan LockLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(5);

    private readonly Lock gate = new();
    private readonly string socketPath;
    private IReadOnlyList<SessionRecord> cache = [];

    private readonly bool enabled;

    /// <param name="enabled">False (<c>--no-session-records</c>): nothing is read or written, and no session is remembered.</param>
    public SessionRecords(string directory, string socketPath, bool enabled = true)
    {
        this.socketPath = socketPath;
        this.enabled = enabled;
        FilePath = Path.Combine(directory, FileNameFor(socketPath));
    }

    /// <summary>The records file of this tmux server.</summary>
    public string FilePath { get; }

    /// <summary>The folder scrollbacks of this server's ended sessions are saved in, beside the records file.</summary>
    public string ScrollbackDirectory => Path.ChangeExtension(FilePath, ".scrollback");

    /// <summary>The records of <paramref name="socketPath"/> in the user's state folder.</summary>
    public static SessionRecords ForUser(string stateDirectory, string socketPath, bool enabled) =>
        new(Path.Combine(stateDirectory, "sessions"), socketPath, enabled);

    /// <summary>
    /// The file name for a socket path: every byte but letters, digits, <c>-</c>, <c>_</c> and <c>.</c> percent-encoded,
    /// so two sockets never share a file and the name still says which server it is.
    /// </summary>
    internal static string FileNameFor(string socketPath)
    {
        var name = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(socketPath))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' || (b == '.' && name.Length > 0))
            {
                name.Append((char)b);
            }
            else
            {
                name.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return name.Append(".json").ToString();
    }

    /// <summary>The records as last read or written by this host.</summary>
    public IReadOnlyList<SessionRecord> Cached => cache;

    /// <summary>Reads the file again (another host may have written it).</summary>
    public IReadOnlyList<SessionRecord> Read() => Change(_ => false);

    public SessionRecord? Find(string name) => Read().FirstOrDefault(record => record.Name == name);

    /// <summary>Adds or replaces the record with <paramref name="record"/>'s name.</summary>
    public void Remember(SessionRecord record) => Change(records =>
    {
        records.RemoveAll(existing => existing.Name == record.Name);
        records.Add(record with { SocketPath = socketPath });
        return true;
    });

    /// <summary>
    /// Removes the record named <paramref name="name"/>, and its saved scrollback unless <paramref name="keepScrollback"/>;
    /// false when there was none.
    /// </summary>
    public bool Forget(string name, bool keepScrollback = false)
    {
        var removed = false;
        Change(records => removed = records.RemoveAll(record => record.Name == name) > 0);
        if (removed && !keepScrollback)
        {
            DeleteScrollback(name);
        }

        return removed;
    }

    public void DeleteScrollback(string name) => TryDelete(ScrollbackPath(name));

    /// <summary>Applies <paramref name="update"/> to the record named <paramref name="name"/>, if there is one.</summary>
    public void Update(string name, Func<SessionRecord, SessionRecord> update) => Change(records =>
    {
        var index = records.FindIndex(record => record.Name == name);
        if (index < 0)
        {
            return false;
        }

        var updated = update(records[index]);
        if (updated == records[index])
        {
            return false;
        }

        records[index] = updated;
        return true;
    });

    /// <summary>Where the saved scrollback of the session named <paramref name="name"/> is.</summary>
    public string ScrollbackPath(string name) => Path.Combine(ScrollbackDirectory, FileNameFor(name)[..^".json".Length] + ".txt");

    /// <summary>Saves <paramref name="text"/> as the session's last scrollback, through a temporary file and a rename.</summary>
    public void SaveScrollback(string name, string text)
    {
        if (!enabled)
        {
            return;
        }

        CreatePrivateDirectory(ScrollbackDirectory);
        WriteAtomically(ScrollbackPath(name), text);
    }

    public string? ReadScrollback(string name)
    {
        try
        {
            return File.ReadAllText(ScrollbackPath(name));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Locks the file, reads it, lets <paramref name="change"/> edit the list and writes it back when that returns true.
    /// </summary>
    private IReadOnlyList<SessionRecord> Change(Func<List<SessionRecord>, bool> change)
    {
        if (!enabled)
        {
            return [];
        }

        lock (gate)
        {
            var directory = Path.GetDirectoryName(FilePath)!;
            CreatePrivateDirectory(directory);
            using var fileLock = AcquireLock(FilePath + ".lock");
            var records = Load();
            if (change(records))
            {
                var json = JsonSerializer.Serialize(new RecordsFile(FormatVersion, records), PlexusJsonContext.Default.RecordsFile);
                WriteAtomically(FilePath, json + "\n");
            }

            cache = records;
            return records;
        }
    }

    private List<SessionRecord> Load()
    {
        string text;
        try
        {
            text = File.ReadAllText(FilePath);
        }
        catch (FileNotFoundException)
        {
            return [];
        }

        try
        {
            var file = JsonSerializer.Deserialize(text, PlexusJsonContext.Default.RecordsFile);
            if (file?.Sessions is { } sessions && sessions.All(record => !string.IsNullOrEmpty(record?.Name) && record.Cwd is not null))
            {
                return [.. sessions];
            }
        }
        catch (JsonException)
        {
        }

        // Never dropped: the user (or a later Plexus) can still read what was in it.
        var aside = $"{FilePath}.corrupt-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        File.Move(FilePath, aside);
        HostLog.Warn($"the session records in {FilePath} could not be read; moved them to {aside} and started a new list");
        return [];
    }

    /// <summary>
    /// An exclusive lock on <paramref name="path"/>: .NET takes <c>flock(LOCK_EX|LOCK_NB)</c> for <c>FileShare.None</c>
    /// on Unix, held until the stream is disposed (or the process dies, so a crash never leaves it locked).
    /// </summary>
    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + LockLimit;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(LockRetry);
            }
        }
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private static void CreatePrivateDirectory(string directory) =>
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            HostLog.Debug($"cannot delete {path}: {ex.Message}");
        }
    }

    internal sealed record RecordsFile(int Version, IReadOnlyList<SessionRecord> Sessions);
}
