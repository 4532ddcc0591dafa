using System.Buffers;
using System.Globalization;

namespace Filter.Engine.AuthResults;

/// <summary>
/// A growable run of chars in a rented array: the Authentication-Results formatter writes each element
/// and the whole value here instead of into StringBuilders, so a header costs one final string and no
/// intermediate copies. A mutable struct: pass it by <c>ref</c>, and <see cref="Dispose"/> it once.
/// </summary>
internal struct PooledCharBuilder : IDisposable
{
    private char[] _chars;
    private int _length;

    public PooledCharBuilder(int capacity)
    {
        _chars = ArrayPool<char>.Shared.Rent(capacity);
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<char> Written => _chars.AsSpan(0, _length);

    public void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
    }

    /// <summary>A number in invariant digits, formatted in place.</summary>
    public void Append<T>(T value)
        where T : ISpanFormattable
    {
        Span<char> digits = stackalloc char[32];
        if (value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture))
        {
            Append(digits[..written]);
        }
        else
        {
            Append(value.ToString(null, CultureInfo.InvariantCulture));
        }
    }

    public void Clear() => _length = 0;

    public override readonly string ToString() => new(_chars, 0, _length);

    public void Dispose()
    {
        var chars = _chars;
        _chars = [];
        _length = 0;
        if (chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private void Grow(int more)
    {
        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + more));
        _chars.AsSpan(0, _length).CopyTo(bigger);
        if (_chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chars);
        }

        _chars = bigger;
    }
}
