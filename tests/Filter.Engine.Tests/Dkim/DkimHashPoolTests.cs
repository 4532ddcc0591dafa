using System.Security.Cryptography;
using System.Text;
using Filter.Engine.Dkim;
using Filter.Engine.Dns;
using static Filter.Engine.Tests.Dkim.DkimTestSupport;

namespace Filter.Engine.Tests.Dkim;

/// <summary>
/// Pooled hash contexts (<see cref="DkimHashPool"/>): a context abandoned mid-message is reset before
/// anyone rents it again, a hasher gives its context back once, and an aborted message leaves nothing
/// that changes the next message's result.
/// </summary>
[TestFixture]
public sealed class DkimHashPoolTests
{
    [Test]
    public void DirtyContextIsResetBeforeItIsRentedAgain()
    {
        var pool = new DkimHashPool(4);
        var first = pool.Rent(HashAlgorithmName.SHA256);
        first.AppendData("left over from an aborted message"u8);
        pool.Return(first, dirty: true);
        var again = pool.Rent(HashAlgorithmName.SHA256);
        again.AppendData("abc"u8);
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.SameAs(first));
            Assert.That(again.GetHashAndReset(), Is.EqualTo(SHA256.HashData("abc"u8)));
        });
    }

    [Test]
    public void PoolIsBoundedAndKeepsOnlySha256()
    {
        var pool = new DkimHashPool(2);
        var contexts = Enumerable.Range(0, 3).Select(_ => pool.Rent(HashAlgorithmName.SHA256)).ToList();
        var sha1 = pool.Rent(HashAlgorithmName.SHA1);
        foreach (var context in contexts)
        {
            pool.Return(context, dirty: false);
        }

        pool.Return(sha1, dirty: false);
        Assert.Multiple(() =>
        {
            Assert.That(pool.Count, Is.EqualTo(2));
            Assert.That(() => sha1.AppendData("x"u8), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(() => contexts[2].AppendData("x"u8), Throws.InstanceOf<ObjectDisposedException>());
        });
    }

    [Test]
    public void UnfinishedBodyHasherGivesBackACleanContextOnce([Values] DkimCanonicalization canonicalization)
    {
        var pool = new DkimHashPool(4);
        var hasher = new DkimBodyHasher(canonicalization, HashAlgorithmName.SHA256, null, pool);

        // Over 1 KiB of clean text goes straight into the hash context, not only the staging buffer.
        hasher.Append(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("clean text line\r\n", 200))));
        hasher.Dispose();
        hasher.Dispose();
        Assert.That(pool.Count, Is.EqualTo(1), "returned once, however often disposed");

        using var next = new DkimBodyHasher(canonicalization, HashAlgorithmName.SHA256, null, pool);
        next.Append("body\r\n"u8);
        Assert.Multiple(() =>
        {
            Assert.That(pool.Count, Is.Zero);
            Assert.That(next.Finish(), Is.EqualTo(SHA256.HashData("body\r\n"u8)));
            Assert.That(() => hasher.Append("x"u8), Throws.InstanceOf<ObjectDisposedException>());
        });
    }

    [Test]
    public async Task AbortedMessagesDoNotChangeTheNextResult()
    {
        using var key = RsaKey();
        var good = Signed(SampleMessage(string.Concat(Enumerable.Repeat("some body text  \r\n", 300))), Options(key));
        var verifier = new DkimVerifier(new ZoneResolver(ZoneWith("sel", key.KeyRecord)), null, new FixedTimeProvider(Now));
        var codes = new List<DkimResultCode>();
        for (var round = 0; round < 5; round++)
        {
            // Aborted: headers and half the body, then the session is dropped (client gone, message
            // rejected early); the pooled contexts hold body data at that point.
            using (var aborted = verifier.StartSession())
            {
                var body = Feed(aborted, good);
                aborted.OnBodyChunk(body.AsSpan(0, body.Length / 2));
            }

            using var session = verifier.StartSession();
            var whole = Feed(session, good);
            session.OnBodyChunk(whole);
            codes.Add((await session.CompleteAsync(CancellationToken.None)).Single().Code);
        }

        Assert.Multiple(() =>
        {
            Assert.That(codes, Is.All.EqualTo(DkimResultCode.Pass));
            Assert.That(verifier.HashPool.Count, Is.InRange(1, 2), "contexts are reused, not piling up");
        });
    }

    /// <summary>Feeds the header fields and ends the headers; returns the body bytes.</summary>
    private static byte[] Feed(DkimVerificationSession session, byte[] message)
    {
        var text = Encoding.Latin1.GetString(message);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        foreach (var line in text[..split].Replace("\r\n\t", "\u0001", StringComparison.Ordinal).Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            session.OnHeader(line[..colon], Encoding.Latin1.GetBytes(line[(colon + 1)..].Replace("\u0001", "\r\n\t", StringComparison.Ordinal)));
        }

        session.OnEndOfHeaders(CancellationToken.None);
        return Encoding.Latin1.GetBytes(text[(split + 4)..]);
    }
}
