namespace Plexus.Host.Protocol;

/// <summary>
/// How much of the input an error message may repeat. A client that sent a 10 MB name must not get 10 MB back
/// in the error (nor in the log): messages quote a short prefix of what they reject, and every message on the
/// wire is capped as a last resort.
/// </summary>
public static class Excerpt
{
    /// <summary>The longest prefix of a rejected value that a message quotes.</summary>
    public const int QuoteLength = 80;

    /// <summary>The longest error message sent to a client.</summary>
    public const int MessageLength = 240;

    /// <summary><paramref name="value"/> in single quotes, cut to <see cref="QuoteLength"/> characters with its length said.</summary>
    public static string Quote(string? value) =>
        value is null ? "null"
        : value.Length <= QuoteLength ? $"'{value}'"
        : $"'{Prefix(value, QuoteLength)}…' ({value.Length} characters)";

    /// <summary><paramref name="message"/> cut to <see cref="MessageLength"/> characters.</summary>
    public static string Cap(string message) =>
        message.Length <= MessageLength ? message : Prefix(message, MessageLength - 1) + "…";

    // Never cuts a surrogate pair in half: the client's JSON parser would get a lone surrogate.
    private static string Prefix(string value, int length) =>
        char.IsHighSurrogate(value[length - 1]) ? value[..(length - 1)] : value[..length];
}
