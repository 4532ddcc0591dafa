using System.Net;
using Filter.Engine.Dns;
using Filter.Engine.Spf;

namespace Filter.Engine.Tests.Spf;

public sealed class SpfLookupBudgetTests
{
    [Test]
    public async Task CountsVoidAnswersOnlyAndNotThroughUncounted()
    {
        var zone = new DnsZone();
        zone.AddA("host.example.com", IPAddress.Parse("192.0.2.1"));
        zone.AddFailure("slow.example.com", DnsResponseStatus.Timeout);
        var budget = new SpfLookupBudget(new ZoneResolver(zone), maxTerms: 10, maxVoids: 2);

        await budget.QueryAAsync("host.example.com", CancellationToken.None);
        await budget.QueryMxAsync("host.example.com", CancellationToken.None);
        await budget.QueryTxtAsync("missing.example.com", CancellationToken.None);
        await budget.QueryAAsync("slow.example.com", CancellationToken.None);
        await budget.Uncounted.QueryAAsync("missing.example.com", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(budget.VoidsUsed, Is.EqualTo(2), "NODATA and NXDOMAIN count; an answer, a timeout and uncounted queries do not");
            Assert.That(budget.IsVoidLimitExceeded, Is.False);
        });
    }

    [Test]
    public void TermsAreChargedUpToTheLimit()
    {
        var budget = new SpfLookupBudget(new ZoneResolver(new DnsZone()), maxTerms: 2, maxVoids: 2);

        Assert.Multiple(() =>
        {
            Assert.That(budget.TryChargeTerm(), Is.True);
            Assert.That(budget.TryChargeTerm(), Is.True);
            Assert.That(budget.TryChargeTerm(), Is.False);
            Assert.That(budget.TermsUsed, Is.EqualTo(3));
        });
    }
}
