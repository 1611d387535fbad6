namespace Plexus.Host;

/// <summary>Log lines for stderr, which the extension shows as "Plexus Host"; stdout belongs to JSON-RPC.</summary>
internal static class HostLog
{
    private static readonly Lock Gate = new();

    public static bool Verbose { get; set; }

    public static void Info(string message) => Write("info", message);

    public static void Warn(string message) => Write("warn", message);

    public static void Debug(string message)
    {
        if (Verbose)
        {
            Write("debug", message);
        }
    }

    private static void Write(string level, string message)
    {
        lock (Gate)
        {
            Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level} {message}");
        }
    }
}
