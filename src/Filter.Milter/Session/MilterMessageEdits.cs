using Filter.Milter.Protocol;

namespace Filter.Milter.Session;

/// <summary>
/// Collects one message's modifications and lays them out in an order that both MTAs apply as
/// meant (milter reference §8.3, §9.1):
/// changes and deletes first, several of one name highest index first (Postfix re-counts after a
/// delete, Sendmail does not); then inserts; then appended headers; then envelope changes; then
/// the body replacement as one consecutive run of chunks; quarantine last.
/// Indexes given to <see cref="ChangeHeader"/> refer to the headers as the handler saw them
/// (<see cref="MilterHeader.Occurrence"/>). Values are sent as given: without SMFIP_HDR_LEADSPC
/// the MTA adds the space after the colon itself, so do not start values with one.
/// </summary>
public sealed class MilterMessageEdits
{
    // Created on first use: a typical message has one insert and nothing else.
    private List<ChangeHeaderResponse>? _changes;
    private List<MilterResponse>? _inserts;
    private List<MilterResponse>? _adds;
    private List<MilterResponse>? _envelope;
    private List<MilterResponse>? _body;
    private QuarantineResponse? _quarantine;

    /// <summary>Number of modifications collected.</summary>
    public int Count => CountOf(_changes) + CountOf(_inserts) + CountOf(_adds) + CountOf(_envelope) + CountOf(_body) + (_quarantine is null ? 0 : 1);

    /// <summary>Appends a header at the bottom of the header block (ADDHEADER).</summary>
    public MilterMessageEdits AddHeader(string name, string value)
    {
        (_adds ??= []).Add(new AddHeaderResponse(name, value));
        return this;
    }

    /// <summary>
    /// Inserts a header at a global index (INSHEADER): 0 is the very top, above the MTA's own
    /// Received header; 1 is just below it.
    /// </summary>
    public MilterMessageEdits InsertHeader(uint index, string name, string value)
    {
        (_inserts ??= []).Add(new InsertHeaderResponse(index, name, value));
        return this;
    }

    /// <summary>Replaces the <paramref name="occurrence"/>-th (1-based) header called <paramref name="name"/> (CHGHEADER).</summary>
    public MilterMessageEdits ChangeHeader(string name, int occurrence, string value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(occurrence, 1);
        ArgumentException.ThrowIfNullOrEmpty(value);
        (_changes ??= []).Add(new ChangeHeaderResponse((uint)occurrence, name, value));
        return this;
    }

    /// <summary>Deletes the <paramref name="occurrence"/>-th (1-based) header called <paramref name="name"/> (CHGHEADER, empty value).</summary>
    public MilterMessageEdits DeleteHeader(string name, int occurrence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(occurrence, 1);
        (_changes ??= []).Add(new ChangeHeaderResponse((uint)occurrence, name, string.Empty));
        return this;
    }

    /// <summary>Changes the envelope sender (CHGFROM).</summary>
    public MilterMessageEdits ChangeFrom(string address, string? parameters = null)
    {
        (_envelope ??= []).Add(new ChangeFromResponse(address, parameters));
        return this;
    }

    /// <summary>Adds a recipient (ADDRCPT, or ADDRCPT_PAR when parameters are given).</summary>
    public MilterMessageEdits AddRecipient(string address, string? parameters = null)
    {
        (_envelope ??= []).Add(parameters is null ? new AddRecipientResponse(address) : new AddRecipientWithParametersResponse(address, parameters));
        return this;
    }

    /// <summary>Removes a recipient, named as in RCPT TO (DELRCPT).</summary>
    public MilterMessageEdits DeleteRecipient(string address)
    {
        (_envelope ??= []).Add(new DeleteRecipientResponse(address));
        return this;
    }

    /// <summary>Replaces the whole body (REPLBODY), split into chunks of at most 65535 bytes.</summary>
    public MilterMessageEdits ReplaceBody(ReadOnlyMemory<byte> body)
    {
        _body = [];
        for (int offset = 0; offset < body.Length; offset += MilterLimits.MaxChunkSize)
        {
            _body.Add(new ReplaceBodyResponse(body.Slice(offset, Math.Min(MilterLimits.MaxChunkSize, body.Length - offset))));
        }

        if (body.IsEmpty)
        {
            _body.Add(new ReplaceBodyResponse(ReadOnlyMemory<byte>.Empty));
        }

        return this;
    }

    /// <summary>Quarantines the message (QUARANTINE); CR and LF in the reason become spaces (§11.2).</summary>
    public MilterMessageEdits Quarantine(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _quarantine = new QuarantineResponse(reason.Replace('\r', ' ').Replace('\n', ' '));
        return this;
    }

    /// <summary>The modifications in wire order.</summary>
    public IReadOnlyList<MilterResponse> ToList()
    {
        var list = new List<MilterResponse>(Count);
        if (_changes is { Count: 1 })
        {
            list.Add(_changes[0]);
        }
        else if (_changes is { Count: > 1 })
        {
            // Stable sort: by name (case-insensitive, as the MTAs match), then highest index first.
            var changes = new List<(int Order, ChangeHeaderResponse Change)>(_changes.Count);
            for (int i = 0; i < _changes.Count; i++)
            {
                changes.Add((i, _changes[i]));
            }

            changes.Sort(static (a, b) =>
            {
                int byName = StringComparer.OrdinalIgnoreCase.Compare(a.Change.Name, b.Change.Name);
                if (byName != 0)
                {
                    return byName;
                }

                int byIndex = b.Change.Index.CompareTo(a.Change.Index);
                return byIndex != 0 ? byIndex : a.Order.CompareTo(b.Order);
            });
            foreach ((int _, ChangeHeaderResponse change) in changes)
            {
                list.Add(change);
            }
        }

        AddAll(list, _inserts);
        AddAll(list, _adds);
        AddAll(list, _envelope);
        AddAll(list, _body);
        if (_quarantine is not null)
        {
            list.Add(_quarantine);
        }

        return list;
    }

    /// <summary>The outcome with these modifications and <paramref name="decision"/>.</summary>
    public MilterMessageOutcome ToOutcome(MilterDecision decision) => new(decision, ToList());

    private static int CountOf<T>(List<T>? list) => list?.Count ?? 0;

    private static void AddAll(List<MilterResponse> list, List<MilterResponse>? items)
    {
        if (items is not null)
        {
            list.AddRange(items);
        }
    }
}
