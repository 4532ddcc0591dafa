using System.Reflection;
using System.Text;

namespace Filter.Engine.Dmarc;

/// <summary>
/// The Public Suffix List (https://publicsuffix.org/list/) for the RFC 7489 Organizational Domain
/// (RFC 7489 §3.2). Rules are normal (<c>co.uk</c>), wildcard (<c>*.ck</c>) or exception
/// (<c>!www.ck</c>); the longest matching rule wins, an exception beats every other rule, and an
/// unlisted TLD is itself a public suffix (the implicit <c>*</c> rule). Rules and inputs are compared
/// as lower-case A-labels, so U-labels and A-labels give the same answer.
/// </summary>
/// <remarks>Immutable after loading; safe to share between threads and messages.</remarks>
internal sealed class PublicSuffixList
{
    private const string ResourceName = "Filter.Engine.Dmarc.Data.public_suffix_list.dat";
    private static readonly Lazy<PublicSuffixList> EmbeddedList = new(() => LoadEmbedded(includePrivateDomains: true));

    private readonly HashSet<string> _rules;
    private readonly HashSet<string> _wildcards;
    private readonly HashSet<string> _exceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcards, HashSet<string> exceptions, int ruleCount)
    {
        _rules = rules;
        _wildcards = wildcards;
        _exceptions = exceptions;
        RuleCount = ruleCount;
    }

    /// <summary>The snapshot shipped inside Filter.Engine (see Dmarc/Data/README.md for its date).</summary>
    public static PublicSuffixList Embedded => EmbeddedList.Value;

    /// <summary>How many rules were loaded.</summary>
    public int RuleCount { get; }

    /// <summary>Reads a list in the publicsuffix.org format from a file.</summary>
    public static PublicSuffixList Load(string path, bool includePrivateDomains = true)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Load(reader, includePrivateDomains);
    }

    /// <summary>
    /// Reads a list: one rule per line up to the first white space, <c>//</c> comments, and the
    /// ICANN and PRIVATE section markers. <paramref name="includePrivateDomains"/> false drops the
    /// private section (RFC 7489 does not say which to use; most DMARC implementations use both).
    /// </summary>
    public static PublicSuffixList Load(TextReader reader, bool includePrivateDomains = true)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcards = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        var inPrivate = false;
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            var text = line.AsSpan().Trim();
            if (text.StartsWith("//", StringComparison.Ordinal))
            {
                if (text.Contains("===BEGIN PRIVATE DOMAINS===", StringComparison.Ordinal))
                {
                    inPrivate = true;
                }
                else if (text.Contains("===END PRIVATE DOMAINS===", StringComparison.Ordinal))
                {
                    inPrivate = false;
                }

                continue;
            }

            var space = text.IndexOfAny(' ', '\t');
            var rule = (space < 0 ? text : text[..space]).ToString();
            if (rule.Length == 0 || (inPrivate && !includePrivateDomains))
            {
                continue;
            }

            var target = rules;
            if (rule.StartsWith('!'))
            {
                target = exceptions;
                rule = rule[1..];
            }
            else if (rule.StartsWith("*.", StringComparison.Ordinal))
            {
                target = wildcards;
                rule = rule[2..];
            }

            if (!DmarcDomainName.TryNormalize(rule, out var normalized, out _))
            {
                continue; // a rule that is not a domain name cannot match a normalized input
            }

            target.Add(normalized);
            count++;
        }

        return new PublicSuffixList(rules, wildcards, exceptions, count);
    }

    /// <summary>
    /// The number of right-most labels of <paramref name="domain"/> (a normalized A-label name)
    /// that form its public suffix.
    /// </summary>
    public int PublicSuffixLabelCount(string domain)
    {
        // Span lookups: no substring is allocated per label (this runs for every identifier in RFC 7489 mode).
        var rules = _rules.GetAlternateLookup<ReadOnlySpan<char>>();
        var wildcards = _wildcards.GetAlternateLookup<ReadOnlySpan<char>>();
        var exceptions = _exceptions.GetAlternateLookup<ReadOnlySpan<char>>();
        var name = domain.AsSpan();
        var best = 1; // the implicit "*" rule
        var labels = 0;
        var previousStart = name.Length;
        for (var i = name.Length - 1; i >= -1; i--)
        {
            if (i >= 0 && name[i] != '.')
            {
                continue;
            }

            labels++;
            var suffix = name[(i + 1)..];
            if (exceptions.Contains(suffix))
            {
                // An exception rule wins over every other rule: the suffix is the rule minus its left-most label.
                return labels - 1;
            }

            if (rules.Contains(suffix))
            {
                best = labels;
            }

            if (labels >= 2 && wildcards.Contains(name[(previousStart + 1)..]))
            {
                best = labels; // "*.parent" matches any one label directly below parent
            }

            previousStart = i;
        }

        return best;
    }

    /// <summary>
    /// The registrable domain (public suffix plus one label) of a normalized name, or null when the
    /// name is itself a public suffix.
    /// </summary>
    public string? GetRegistrableDomain(string domain)
    {
        var labels = DmarcDomainName.CountLabels(domain);
        var suffix = PublicSuffixLabelCount(domain);
        return labels <= suffix ? null : DmarcDomainName.LastLabels(domain, suffix + 1);
    }

    /// <summary>Loads the embedded snapshot afresh, e.g. without its private section.</summary>
    public static PublicSuffixList LoadEmbedded(bool includePrivateDomains)
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Load(reader, includePrivateDomains);
    }
}
