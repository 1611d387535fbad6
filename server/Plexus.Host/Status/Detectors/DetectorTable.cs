namespace Plexus.Host.Status.Detectors;

/// <summary>
/// Every detector in priority order: agents first (the first recognised one names the verdict), then the
/// prompts any program prints, then shells. Adding an agent is one new file and one line here.
/// </summary>
internal static class DetectorTable
{
    public static IReadOnlyList<AgentDetector> All { get; } =
    [
        ClaudeCode.Detector,
        CodexCli.Detector,
        GeminiCli.Detector,
        Kiro.Detector,
        GenericPrompts.Detector,
        Shells.Detector,
    ];

    /// <summary>
    /// The detectors that apply to a pane running <paramref name="command"/> whose screen shows
    /// <paramref name="rows"/>, in priority order.
    /// </summary>
    public static IReadOnlyList<AgentDetector> For(string command, IReadOnlyList<string> rows) =>
        [.. All.Where(detector => detector.Recognises(command, rows))];

    /// <summary>
    /// Reduces a tmux command name to the bare program name: tmux can report a login shell as "-bash"
    /// and some platforms report a path.
    /// </summary>
    public static string NormalizeCommand(string? command)
    {
        var name = (command ?? string.Empty).Trim();
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        return name.TrimStart('-');
    }
}
