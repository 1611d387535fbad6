using System.Buffers;
using System.Text;

namespace Plexus.Host.Tmux;

/// <summary>
/// Reads UTF-8 lines split on '\n' only. <see cref="StreamReader"/> also splits on '\r', which pane text may
/// contain; tmux ends every control-mode line with a single '\n'.
/// </summary>
internal sealed class LineReader(Stream stream)
{
    private readonly byte[] buffer = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> pendingLine = new();
    private int start;
    private int end;

    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                pendingLine.Write(buffer.AsSpan(start, newline - start));
                start = newline + 1;
                var line = Encoding.UTF8.GetString(pendingLine.WrittenSpan);
                pendingLine.ResetWrittenCount();
                return line;
            }

            pendingLine.Write(buffer.AsSpan(start, end - start));
            start = 0;
            end = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (end == 0)
            {
                return null;
            }
        }
    }
}
