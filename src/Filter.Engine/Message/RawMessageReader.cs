using System.Text;

namespace Filter.Engine.Message;

/// <summary>
/// Feeds a stored message (RFC 5322, CRLF or bare LF line endings) to an <see cref="IRawMessageSink"/>
/// as the milter would: each header field split at its first colon, then the body in chunks. Only the
/// header section is held in memory; the body streams through one buffer.
/// </summary>
internal static class RawMessageReader
{
    public static async Task ReadAsync(Stream stream, IRawMessageSink sink, int chunkSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var buffer = new byte[chunkSize];
        var header = new List<byte>(4096);
        var inHeader = true;
        var lineStart = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            var start = 0;
            if (inHeader)
            {
                // Look for the empty line that ends the header section, keeping everything before it.
                for (var i = 0; i < read; i++)
                {
                    var b = buffer[i];
                    header.Add(b);
                    if (b != (byte)'\n')
                    {
                        continue;
                    }

                    var lineLength = header.Count - lineStart;
                    if (lineLength == 1 || (lineLength == 2 && header[lineStart] == (byte)'\r'))
                    {
                        header.RemoveRange(lineStart, lineLength);
                        EmitHeader(header, sink);
                        sink.OnEndOfHeaders(cancellationToken);
                        inHeader = false;
                        start = i + 1;
                        break;
                    }

                    lineStart = header.Count;
                }

                if (inHeader)
                {
                    continue;
                }
            }

            if (read > start)
            {
                sink.OnBodyChunk(buffer.AsSpan(start, read - start));
            }
        }

        if (inHeader)
        {
            // No empty line: the message is all header and has no body.
            EmitHeader(header, sink);
            sink.OnEndOfHeaders(cancellationToken);
        }
    }

    private static void EmitHeader(List<byte> header, IRawMessageSink sink)
    {
        var bytes = header.ToArray();
        var fieldStart = -1;
        var position = 0;
        while (position < bytes.Length)
        {
            var lineEnd = Array.IndexOf(bytes, (byte)'\n', position);
            var next = lineEnd < 0 ? bytes.Length : lineEnd + 1;
            var continuation = bytes[position] is (byte)' ' or (byte)'\t';
            if (!continuation)
            {
                if (fieldStart >= 0)
                {
                    EmitField(bytes.AsSpan(fieldStart, position - fieldStart), sink);
                }

                fieldStart = position;
            }

            position = next;
        }

        if (fieldStart >= 0)
        {
            EmitField(bytes.AsSpan(fieldStart), sink);
        }
    }

    private static void EmitField(ReadOnlySpan<byte> field, IRawMessageSink sink)
    {
        var colon = field.IndexOf((byte)':');
        if (colon < 0)
        {
            // Not a header field (an mbox "From " line, or damage): RFC 5322 has no place for it.
            return;
        }

        var value = field[(colon + 1)..];
        // The final line break is framing; RawHeaderField keeps the inner folding.
        if (value.EndsWith("\r\n"u8))
        {
            value = value[..^2];
        }
        else if (value.EndsWith("\n"u8))
        {
            value = value[..^1];
        }

        sink.OnHeader(Encoding.Latin1.GetString(field[..colon]), value);
    }
}
