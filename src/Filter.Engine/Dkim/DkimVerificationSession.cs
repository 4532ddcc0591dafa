using System.Buffers;
using System.Security.Cryptography;
using Filter.Engine.Dns;
using Filter.Engine.Message;

namespace Filter.Engine.Dkim;

/// <summary>
/// Verifies the DKIM signatures of one message, fed in milter order (DESIGN.md, "One message" steps
/// 4 to 6): <see cref="OnHeader"/> for each field as received, <see cref="OnEndOfHeaders"/> (signatures
/// parsed, key lookups started in parallel, body hashers set up), <see cref="OnBodyChunk"/> for each
/// body chunk (one canonicalizing hasher per distinct canonicalization, hash and l=), then
/// <see cref="CompleteAsync"/> for one <see cref="DkimSignatureResult"/> per DKIM-Signature, top
/// first, or a single <see cref="DkimResultCode.None"/> result when there is none.
/// </summary>
/// <remarks>
/// Untrusted input never throws: every problem is a result with a reason. Calling the methods out of
/// order is a bug and throws <see cref="InvalidOperationException"/>. Memory: the header fields plus
/// one small buffer per body hasher, whatever the body size.
/// </remarks>
public sealed class DkimVerificationSession : IRawMessageSink, IDisposable
{
    private const string SignatureFieldName = "DKIM-Signature";

    /// <summary>Above this capacity a thread's header buffer is not kept (a hostile huge field made it grow).</summary>
    private const int MaxKeptHeaderBuffer = 64 * 1024;

    // The canonical header block is written and hashed within one synchronous call, never across an
    // await, so one buffer per thread serves every message instead of 1 KB allocated per message.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_headerBuffer;

    private readonly IDnsResolver _resolver;
    private readonly DkimVerifierOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly DkimKeyCache _keyCache;
    private readonly DkimHashPool _hashPool;
    private readonly List<RawHeaderField> _fields = new(32);
    private readonly List<PendingSignature> _signatures = [];
    private readonly List<DkimBodyHasher> _hashers = [];

    // At most min(MaxSignatures, MaxKeyLookups) entries, so a linear search is the cheap way to share one.
    private readonly List<KeyLookup> _keyLookups = [];
    private Stage _stage;

    internal DkimVerificationSession(IDnsResolver resolver, DkimVerifierOptions options, TimeProvider timeProvider, DkimKeyCache keyCache, DkimHashPool hashPool)
    {
        _keyCache = keyCache;
        _hashPool = hashPool;
        _resolver = resolver;
        _options = options;
        _timeProvider = timeProvider;
    }

    private enum Stage
    {
        Headers,
        Body,
        Completed,
    }

    /// <summary>One header field: the name before the colon, and the value bytes after it as received (folding included).</summary>
    public void OnHeader(string rawName, ReadOnlySpan<byte> rawValue)
    {
        ArgumentNullException.ThrowIfNull(rawName);
        RequireStage(Stage.Headers);
        _fields.Add(RawHeaderField.Create(rawName, rawValue));
    }

    /// <summary>Parses the DKIM-Signature fields, starts their key lookups and sets up the body hashers.</summary>
    public void OnEndOfHeaders(CancellationToken cancellationToken)
    {
        RequireStage(Stage.Headers);
        _stage = Stage.Body;
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var skew = (long)_options.ClockSkew.TotalSeconds;
        var verified = 0;
        foreach (var field in _fields)
        {
            if (!string.Equals(field.Name, SignatureFieldName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var parsed = DkimSignatureParser.Parse(field.Value);
            var pending = new PendingSignature(field, parsed);
            _signatures.Add(pending);
            var signature = parsed.Signature;
            if (signature is null)
            {
                pending.Early = (DkimResultCode.PermError, parsed.Error!);
            }
            else if (signature.Algorithm == DkimAlgorithm.RsaSha1)
            {
                // RFC 8301 §3.1: rsa-sha1 MUST NOT be used for verifying; refused before any DNS work.
                pending.Early = (DkimResultCode.Policy, "rsa-sha1 is not accepted (RFC 8301)");
            }
            else if (signature.Expiration is { } expiration && now > expiration + skew)
            {
                pending.Early = (DkimResultCode.Fail, $"signature expired (x={expiration})");
            }
            else if (signature.Timestamp is { } timestamp && timestamp > now + skew)
            {
                pending.Early = (DkimResultCode.Fail, $"signature timestamp is in the future (t={timestamp})");
            }
            else if (verified >= _options.MaxSignatures)
            {
                pending.Early = (DkimResultCode.Policy, $"not verified: more than {_options.MaxSignatures} signatures on the message");
            }
            else
            {
                var lookup = FindKeyLookup(signature);
                if (lookup is null)
                {
                    if (_keyLookups.Count >= _options.MaxKeyLookups)
                    {
                        pending.Early = (DkimResultCode.Policy, $"not verified: more than {_options.MaxKeyLookups} key lookups for the message");
                        continue;
                    }

                    lookup = KeyLookup.Start(_resolver, signature, cancellationToken);
                    _keyLookups.Add(lookup);
                }

                verified++;
                pending.KeyLookup = lookup;
                pending.Hasher = GetHasher(signature);
            }
        }

        if (_signatures.Count == 0)
        {
            return;
        }

        var prefixes = new string?[_signatures.Count];
        for (var i = 0; i < prefixes.Length; i++)
        {
            prefixes[i] = _signatures[i].Parsed.SignatureBase64;
        }

        var computed = DkimSignaturePrefix.Compute(prefixes);
        for (var i = 0; i < computed.Length; i++)
        {
            _signatures[i].Prefix = computed[i];
        }
    }

    /// <summary>One chunk of the body, in order; chunks may split lines anywhere.</summary>
    public void OnBodyChunk(ReadOnlySpan<byte> chunk)
    {
        RequireStage(Stage.Body);
        foreach (var hasher in _hashers)
        {
            hasher.Append(chunk);
        }
    }

    /// <summary>Ends the body, waits for the key lookups and checks every signature.</summary>
    public async Task<IReadOnlyList<DkimSignatureResult>> CompleteAsync(CancellationToken cancellationToken)
    {
        RequireStage(Stage.Body);
        _stage = Stage.Completed;
        if (_signatures.Count == 0)
        {
            return [DkimSignatureResult.NoSignature];
        }

        foreach (var hasher in _hashers)
        {
            hasher.Finish();
        }

        var results = new DkimSignatureResult[_signatures.Count];
        for (var i = 0; i < _signatures.Count; i++)
        {
            var pending = _signatures[i];
            if (pending.Early is { } early)
            {
                results[i] = MakeResult(pending, early.Code, early.Reason);
                continue;
            }

            var lookup = pending.KeyLookup!;
            var response = lookup.Response ?? await lookup.Pending!.WaitAsync(cancellationToken).ConfigureAwait(false);
            results[i] = Check(pending, response);
        }

        return results;
    }

    public void Dispose()
    {
        foreach (var hasher in _hashers)
        {
            hasher.Dispose();
        }

        _hashers.Clear();
    }

    private DkimSignatureResult Check(PendingSignature pending, DnsResponse<string> response)
    {
        var signature = pending.Parsed.Signature!;
        if (response.IsTemporaryError)
        {
            return MakeResult(pending, DkimResultCode.TempError, $"key lookup failed ({response.Status})");
        }

        if (response.IsVoid)
        {
            return MakeResult(pending, DkimResultCode.PermError, "no key for selector");
        }

        // §3.6.2.2: the strings of one TXT record are already joined by the resolver. With several
        // records, the first usable one is taken (§6.1.2 lets the verifier choose).
        DkimKeyCacheEntry? entry = null;
        string? firstError = null;
        foreach (var text in response.Records)
        {
            var candidate = _keyCache.Get(text);
            if (candidate.Record is not null)
            {
                entry = candidate;
                break;
            }

            firstError ??= candidate.RecordError;
        }

        var record = entry?.Record;

        if (record is null)
        {
            return MakeResult(pending, DkimResultCode.PermError, firstError ?? "no key for selector");
        }

        var expectedType = signature.Algorithm == DkimAlgorithm.Ed25519Sha256 ? DkimKeyType.Ed25519 : DkimKeyType.Rsa;
        if (record.KeyType != expectedType)
        {
            return MakeResult(pending, DkimResultCode.PermError, $"key type {record.KeyType.ToString().ToLowerInvariant()} does not match a={signature.AlgorithmName}", record);
        }

        if (record.AcceptableHashes is { } hashes)
        {
            var hashName = signature.Algorithm == DkimAlgorithm.RsaSha1 ? "sha1" : "sha256";
            if (Array.IndexOf(hashes, hashName) < 0)
            {
                return MakeResult(pending, DkimResultCode.PermError, $"key h= does not allow {hashName}", record);
            }
        }

        // §3.6.1 t=s: the i= domain must be d= itself, not a subdomain.
        if (record.StrictIdentity && !string.Equals(signature.IdentityDomain, signature.Domain, StringComparison.OrdinalIgnoreCase))
        {
            return MakeResult(pending, DkimResultCode.PermError, "key has t=s but i= is a subdomain of d=", record);
        }

        var key = entry!.Key;
        if (key is null)
        {
            return MakeResult(pending, DkimResultCode.PermError, entry.KeyError!, record);
        }

        if (key.KeyType == DkimKeyType.Rsa && key.Bits < _options.MinimumRsaKeyBits)
        {
            // RFC 8301 §3.2: keys under 1024 bits MUST NOT be considered valid.
            return MakeResult(pending, DkimResultCode.Policy, $"RSA key of {key.Bits} bits is shorter than {_options.MinimumRsaKeyBits} (RFC 8301)", record, key.Bits);
        }

        if (key.KeyType == DkimKeyType.Rsa && key.Bits > _options.MaximumRsaKeyBits)
        {
            return MakeResult(pending, DkimResultCode.Policy, $"RSA key of {key.Bits} bits is longer than {_options.MaximumRsaKeyBits}", record, key.Bits);
        }

        var hasher = pending.Hasher!;
        if (!hasher.Finish().AsSpan().SequenceEqual(signature.BodyHash))
        {
            var reason = signature.BodyLength is { } l && hasher.CanonicalLength < l
                ? $"body hash did not verify (l={l} is longer than the body, {hasher.CanonicalLength} bytes)"
                : "body hash did not verify";
            return MakeResult(pending, DkimResultCode.Fail, reason, record, key.Bits);
        }

        Span<byte> headerHash = stackalloc byte[SHA256.HashSizeInBytes];
        var hashLength = ComputeHeaderHash(pending.Field, signature, headerHash);
        return key.Verify(headerHash[..hashLength], signature.SignatureBytes, signature.Algorithm)
            ? MakeResult(pending, DkimResultCode.Pass, "signature verified", record, key.Bits)
            : MakeResult(pending, DkimResultCode.Fail, "signature did not verify", record, key.Bits);
    }

    /// <summary>RFC 6376 §3.7 and §5.4.2: the signed fields bottom-up per name, then this field with b= emptied.</summary>
    private int ComputeHeaderHash(RawHeaderField signatureField, DkimSignature signature, Span<byte> destination)
    {
        var output = t_headerBuffer ??= new ArrayBufferWriter<byte>(1024);
        output.ResetWrittenCount();
        DkimHeaderSelection.AppendSignedFields(output, _fields, signature.SignedHeaders, signature.HeaderCanonicalization);
        DkimHeaderSelection.AppendSignatureField(output, signatureField, signature.SignatureValueStart, signature.SignatureValueEnd, signature.HeaderCanonicalization);
        if (signature.Algorithm == DkimAlgorithm.RsaSha1)
        {
            return SHA1.HashData(output.WrittenSpan, destination);
        }

        // A pooled context: the one-shot API builds a native digest context per call.
        var hash = _hashPool.Rent(HashAlgorithmName.SHA256);
        hash.AppendData(output.WrittenSpan);
        hash.TryGetHashAndReset(destination, out var written);
        _hashPool.Return(hash, dirty: false);
        if (output.Capacity > MaxKeptHeaderBuffer)
        {
            t_headerBuffer = null;
        }

        return written;
    }

    /// <summary>The lookup already started for this signature's key name (DNS names compare case-insensitively).</summary>
    private KeyLookup? FindKeyLookup(DkimSignature signature)
    {
        foreach (var lookup in _keyLookups)
        {
            if (string.Equals(lookup.Selector, signature.Selector, StringComparison.OrdinalIgnoreCase)
                && string.Equals(lookup.Domain, signature.Domain, StringComparison.OrdinalIgnoreCase))
            {
                return lookup;
            }
        }

        return null;
    }

    private DkimBodyHasher GetHasher(DkimSignature signature)
    {
        var hashAlgorithm = signature.Algorithm == DkimAlgorithm.RsaSha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        foreach (var existing in _hashers)
        {
            if (existing.Canonicalization == signature.BodyCanonicalization
                && existing.HashAlgorithm == hashAlgorithm
                && existing.Limit == signature.BodyLength)
            {
                return existing;
            }
        }

        var hasher = new DkimBodyHasher(signature.BodyCanonicalization, hashAlgorithm, signature.BodyLength, _hashPool);
        _hashers.Add(hasher);
        return hasher;
    }

    private static DkimSignatureResult MakeResult(PendingSignature pending, DkimResultCode code, string reason, DkimKeyRecord? record = null, int? keyBits = null)
    {
        var parsed = pending.Parsed;
        var hasher = pending.Hasher;
        return new DkimSignatureResult(
            code,
            parsed.Domain.ToLowerInvariant(),
            parsed.Identity,
            parsed.Selector,
            parsed.Algorithm.ToLowerInvariant(),
            pending.Prefix,
            reason)
        {
            BodyLength = parsed.Signature?.BodyLength,
            UnsignedBodyBytes = hasher is null ? 0 : hasher.UnsignedLength,
            KeyBits = keyBits,
            Testing = record?.Testing ?? false,
        };
    }

    private void RequireStage(Stage expected)
    {
        if (_stage != expected)
        {
            throw new InvalidOperationException($"DKIM session is at {_stage}, the call needs {expected}.");
        }
    }

    private sealed class PendingSignature(RawHeaderField field, DkimSignatureParseResult parsed)
    {
        public RawHeaderField Field { get; } = field;

        public DkimSignatureParseResult Parsed { get; } = parsed;

        public (DkimResultCode Code, string Reason)? Early { get; set; }

        public KeyLookup? KeyLookup { get; set; }

        public DkimBodyHasher? Hasher { get; set; }

        public string? Prefix { get; set; }
    }

    /// <summary>
    /// One key query, shared by the signatures that name the same key. An answer already there when the
    /// query returns (a cache hit) is kept as it is; only a query still under way becomes a Task.
    /// </summary>
    private sealed class KeyLookup
    {
        private KeyLookup(string selector, string domain)
        {
            Selector = selector;
            Domain = domain;
        }

        public string Selector { get; }

        public string Domain { get; }

        public DnsResponse<string>? Response { get; private set; }

        public Task<DnsResponse<string>>? Pending { get; private set; }

        public static KeyLookup Start(IDnsResolver resolver, DkimSignature signature, CancellationToken cancellationToken)
        {
            var lookup = new KeyLookup(signature.Selector, signature.Domain);
            var query = resolver.QueryTxtAsync(signature.Selector + "._domainkey." + signature.Domain, cancellationToken);
            if (query.IsCompletedSuccessfully)
            {
                lookup.Response = query.Result;
            }
            else
            {
                lookup.Pending = query.AsTask();
            }

            return lookup;
        }
    }
}
