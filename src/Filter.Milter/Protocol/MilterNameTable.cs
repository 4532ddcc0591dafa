using System.Buffers;
using System.Text;

namespace Filter.Milter.Protocol;

/// <summary>
/// Header field names and macro names that arrive on nearly every message, kept as one string
/// each so that decoding them from the wire costs a byte comparison instead of a new string per
/// header or macro (a typical Postfix message carries 10 to 20 headers, each preceded by the same
/// macro packet). The match is exact and case-sensitive: a name in any other spelling is decoded
/// as before, so the handler always sees the bytes the MTA sent (DKIM simple canonicalization,
/// RFC 6376 §3.4.1, hashes the name as written).
/// </summary>
internal static class MilterNameTable
{
    // Bucketed by byte length; no name here is longer than MaxLength. Order inside a bucket puts
    // the commonest first because the scan stops at the first match.
    private const int MaxLength = 32;

    private static readonly Entry[][] s_byLength = Build(
    [
        // Header fields (RFC 5322 §3.6, RFC 6376, RFC 8601, RFC 2045, RFC 2369, RFC 2919 and common extensions).
        "Received", "From", "To", "Subject", "Date", "Message-ID", "Message-Id", "DKIM-Signature", "Authentication-Results",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Return-Path", "Reply-To", "Cc", "Sender",
        "In-Reply-To", "References", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "X-Mailer", "Precedence",
        "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results", "Received-SPF", "X-Received", "Feedback-ID",
        "Thread-Index", "Thread-Topic", "Content-Language", "Accept-Language", "Auto-Submitted", "X-Google-DKIM-Signature",
        "X-Gm-Message-State", "X-Spam-Status", "X-Spam-Score", "X-Original-To", "Delivered-To", "Importance",
        "X-Priority", "Organization", "User-Agent", "Content-Disposition", "Resent-From", "Resent-Date", "Comments", "Keywords",

        // Macro names Postfix and Sendmail send by default (milter reference §6.5, §6.6).
        "i", "j", "_", "v", "{daemon_name}", "{daemon_addr}", "{if_name}", "{if_addr}", "{client_addr}", "{client_name}",
        "{client_port}", "{client_ptr}", "{client_connections}", "{client_resolve}", "{mail_addr}", "{mail_host}",
        "{mail_mailer}", "{rcpt_addr}", "{rcpt_host}", "{rcpt_mailer}", "{auth_authen}", "{auth_type}", "{auth_author}",
        "{auth_ssf}", "{tls_version}", "{cipher}", "{cipher_bits}", "{cert_subject}", "{cert_issuer}", "{verify}",
        "{msg_id}", "{nrcpts}", "{ntries}", "{daemon_family}", "{daemon_port}",
    ]);

    /// <summary>The shared string for <paramref name="bytes"/>, or null when the name is not in the table.</summary>
    public static string? Find(ReadOnlySpan<byte> bytes)
    {
        if ((uint)bytes.Length > MaxLength)
        {
            return null;
        }

        Entry[] bucket = s_byLength[bytes.Length];
        for (int i = 0; i < bucket.Length; i++)
        {
            if (bytes.SequenceEqual(bucket[i].Bytes))
            {
                return bucket[i].Name;
            }
        }

        return null;
    }

    /// <summary>The shared string when the name is in the table, otherwise a new decoded one.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) => Find(bytes) ?? MilterText.Decode(bytes);

    /// <summary>The same for a name that may span buffer segments.</summary>
    public static string Decode(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            return Decode(bytes.FirstSpan);
        }

        if (bytes.Length > MaxLength)
        {
            return MilterText.Decode(bytes);
        }

        Span<byte> gathered = stackalloc byte[MaxLength];
        bytes.CopyTo(gathered);
        return Decode(gathered[..(int)bytes.Length]);
    }

    private static Entry[][] Build(string[] names)
    {
        var buckets = new List<Entry>[MaxLength + 1];
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = [];
        }

        foreach (string name in names)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(name);
            buckets[bytes.Length].Add(new Entry(bytes, name));
        }

        var table = new Entry[MaxLength + 1][];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = [.. buckets[i]];
        }

        return table;
    }

    private readonly record struct Entry(byte[] Bytes, string Name);
}
