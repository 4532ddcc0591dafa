using System.Net;
using Filter.Engine.Dns;
using Filter.Engine.Pipeline;
using Filter.Engine.Spf;
using static Filter.Engine.Tests.Pipeline.PipelineScenario;

namespace Filter.Engine.Tests.Pipeline;

/// <summary>
/// <see cref="MessageAuthenticationEngine.StartMessage(IDnsResolver)"/>: one message's DNS goes to its own
/// resolver (the daemon's recording seam, issue 6 item 6), with the same outcome as through the shared
/// one and the per-message limits still in force.
/// </summary>
public sealed class PerMessageResolverTests
{
    [Test]
    public async Task OwnResolver_AnswersEveryQuestionWithTheSameOutcomeAsTheShared()
    {
        var message = Signed(NewMessage("Alice <alice@reject.example>"), "reject.example");
        var envelope = Envelope(GoodClient, "bounce@reject.example");
        var shared = await RunAsync(NewEngine(new ZoneResolver(Zone())), message, envelope);

        // The engine's own resolver knows nothing: every answer must come through the message's.
        var empty = new RecordingDnsResolver(new ZoneResolver(new DnsZone()));
        var engine = NewEngine(empty);
        var own = new RecordingDnsResolver(new ZoneResolver(Zone()));
        AuthenticationOutcome outcome;
        using (var stream = new MemoryStream(message, writable: false))
        {
            outcome = await engine.AuthenticateAsync(stream, envelope, own, CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(empty.Questions, Is.Empty);
            Assert.That(own.Questions.Select(q => (q.Name, q.Type)), Is.SupersetOf(new[]
            {
                ("reject.example", DnsRecordType.Txt), ("sel._domainkey.reject.example", DnsRecordType.Txt), ("_dmarc.reject.example", DnsRecordType.Txt),
            }));
            Assert.That(outcome.Verdict.Word, Is.EqualTo("accept"));
            Assert.That(outcome.AuthenticationResults, Is.EqualTo(shared.AuthenticationResults));
            Assert.That(outcome.Verdict, Is.EqualTo(shared.Verdict));
        });
    }

    [Test]
    public async Task OwnResolver_KeepsTheSpfLookupLimit()
    {
        // RFC 7208 §4.6.4: more than 10 DNS-querying terms is permerror, whichever resolver answers.
        var zone = new DnsZone();
        var record = "v=spf1";
        for (var i = 0; i < 11; i++)
        {
            record += $" a:h{i}.many.example";
            zone.AddA($"h{i}.many.example", IPAddress.Parse("192.0.2.200"));
        }

        zone.AddTxt("many.example", record + " -all");
        var engine = NewEngine(new ZoneResolver(new DnsZone()));
        var own = new RecordingDnsResolver(new ZoneResolver(zone));
        AuthenticationOutcome outcome;
        using (var stream = new MemoryStream(NewMessage("Alice <alice@many.example>"), writable: false))
        {
            outcome = await engine.AuthenticateAsync(stream, Envelope(GoodClient, "bounce@many.example"), own, CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Spf!.Code, Is.EqualTo(SpfResultCode.PermError));
            Assert.That(own.Questions.Count(q => q.Name.StartsWith('h')), Is.EqualTo(10), "the eleventh term is never asked");
        });
    }
}
