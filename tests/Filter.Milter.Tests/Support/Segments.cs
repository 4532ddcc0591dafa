using System.Buffers;

namespace Filter.Milter.Tests.Support;

/// <summary>Builds multi-segment sequences, to feed parsers the way a socket would.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] data, IReadOnlyList<int> cuts)
    {
        var pieces = new List<byte[]>();
        int start = 0;
        foreach (int cut in cuts)
        {
            if (cut > start && cut < data.Length)
            {
                pieces.Add(data[start..cut]);
                start = cut;
            }
        }

        pieces.Add(data[start..]);
        return Create(pieces);
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        var cuts = new int[Math.Max(0, data.Length - 1)];
        for (int i = 0; i < cuts.Length; i++)
        {
            cuts[i] = i + 1;
        }

        return Split(data, cuts);
    }

    public static ReadOnlySequence<byte> Random(byte[] data, Random random)
    {
        var cuts = new List<int>();
        int position = 0;
        while (true)
        {
            position += random.Next(1, 9);
            if (position >= data.Length)
            {
                break;
            }

            cuts.Add(position);
        }

        return Split(data, cuts);
    }

    private static ReadOnlySequence<byte> Create(List<byte[]> pieces)
    {
        if (pieces.Count == 1)
        {
            return new ReadOnlySequence<byte>(pieces[0]);
        }

        var first = new Segment(pieces[0], 0);
        Segment last = first;
        for (int i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
