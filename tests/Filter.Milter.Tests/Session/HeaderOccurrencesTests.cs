using Filter.Milter.Session;

namespace Filter.Milter.Tests.Session;

public sealed class HeaderOccurrencesTests
{
    [Test]
    public void Counts_per_name_case_insensitively_whether_or_not_the_strings_are_shared()
    {
        var occurrences = new HeaderOccurrences();
        string received = "Received";

        Assert.Multiple(() =>
        {
            Assert.That(occurrences.Next(received), Is.EqualTo(1));
            Assert.That(occurrences.Next("From"), Is.EqualTo(1));
            Assert.That(occurrences.Next(received), Is.EqualTo(2), "the same string");
            Assert.That(occurrences.Next(new string("RECEIVED".AsSpan())), Is.EqualTo(3), "another string, another case");
            Assert.That(occurrences.Next("from"), Is.EqualTo(2));
        });
    }

    [Test]
    public void Past_the_list_limit_names_are_still_counted_exactly()
    {
        var occurrences = new HeaderOccurrences();
        int distinct = HeaderOccurrences.ListLimit * 3;
        for (int round = 1; round <= 3; round++)
        {
            for (int i = 0; i < distinct; i++)
            {
                string name = (round % 2 == 0 ? "x-name-" : "X-Name-") + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.That(occurrences.Next(name), Is.EqualTo(round), name);
            }
        }
    }

    [Test]
    public void Clear_starts_the_next_message_from_one()
    {
        var occurrences = new HeaderOccurrences();
        for (int i = 0; i < HeaderOccurrences.ListLimit + 5; i++)
        {
            occurrences.Next("H" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        occurrences.Next("Subject");
        occurrences.Clear();

        Assert.Multiple(() =>
        {
            Assert.That(occurrences.Next("Subject"), Is.EqualTo(1));
            Assert.That(occurrences.Next("H26"), Is.EqualTo(1), "a name that had gone to the dictionary");
            Assert.That(occurrences.Next("H0"), Is.EqualTo(1));
        });
    }
}
