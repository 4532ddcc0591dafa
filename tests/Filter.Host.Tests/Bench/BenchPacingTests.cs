using Filter.Host.Bench;

namespace Filter.Host.Tests.Bench;

/// <summary>The open schedule of <c>authfilter bench --rate</c>.</summary>
public sealed class BenchPacingTests
{
    [Test]
    public void The_connections_together_send_one_message_every_one_over_rate_seconds()
    {
        // 4 connections at 1000 messages/s: message m of the run (connection m % 4, its m / 4-th) is due at m ms.
        var due = new List<TimeSpan>();
        for (int sequence = 0; sequence < 5; sequence++)
        {
            for (int connection = 0; connection < 4; connection++)
            {
                due.Add(BenchPacing.DueOffset(connection, 4, sequence, 1000));
            }
        }

        Assert.Multiple(() =>
        {
            for (int m = 0; m < due.Count; m++)
            {
                Assert.That(due[m].TotalMilliseconds, Is.EqualTo(m).Within(1e-9), $"message {m}");
            }
        });
    }

    [Test]
    public void One_connection_at_one_message_per_second_waits_a_second_between_messages()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BenchPacing.DueOffset(0, 1, 0, 1), Is.EqualTo(TimeSpan.Zero));
            Assert.That(BenchPacing.DueOffset(0, 1, 3, 1), Is.EqualTo(TimeSpan.FromSeconds(3)));
        });
    }

    [TestCase(0.0)]
    [TestCase(-5.0)]
    public void A_rate_that_is_not_positive_is_refused(double rate) =>
        Assert.That(() => BenchPacing.DueOffset(0, 1, 0, rate), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void A_connection_outside_the_set_is_refused() =>
        Assert.That(() => BenchPacing.DueOffset(4, 4, 0, 100), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
