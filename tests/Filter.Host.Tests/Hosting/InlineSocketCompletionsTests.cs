using Filter.Host.Hosting;

namespace Filter.Host.Tests.Hosting;

/// <summary>
/// The daemon's default for .NET's socket completion mode. The tests change a process-wide variable
/// and put it back; .NET has long since read it in this process, so nothing else is affected.
/// </summary>
[NonParallelizable]
public sealed class InlineSocketCompletionsTests
{
    private string? _saved;

    [SetUp]
    public void Save() => _saved = Environment.GetEnvironmentVariable(InlineSocketCompletions.VariableName);

    [TearDown]
    public void Restore() => Environment.SetEnvironmentVariable(InlineSocketCompletions.VariableName, _saved);

    [Test]
    public void Unset_TurnsInlineCompletionsOn()
    {
        Environment.SetEnvironmentVariable(InlineSocketCompletions.VariableName, null);

        string inForce = InlineSocketCompletions.ApplyDefault();

        Assert.Multiple(() =>
        {
            Assert.That(inForce, Is.EqualTo("1"));
            Assert.That(Environment.GetEnvironmentVariable(InlineSocketCompletions.VariableName), Is.EqualTo("1"));
        });
    }

    [TestCase("0")]
    [TestCase("1")]
    public void AnExplicitValue_IsKept(string value)
    {
        Environment.SetEnvironmentVariable(InlineSocketCompletions.VariableName, value);

        string inForce = InlineSocketCompletions.ApplyDefault();

        Assert.Multiple(() =>
        {
            Assert.That(inForce, Is.EqualTo(value));
            Assert.That(Environment.GetEnvironmentVariable(InlineSocketCompletions.VariableName), Is.EqualTo(value));
        });
    }

    [TestCase(new[] { "serve" }, true)]
    [TestCase(new[] { "serve", "--listen", "inet:127.0.0.1:8891" }, true)]
    [TestCase(new[] { "bench", "--target", "inet:127.0.0.1:8891" }, false)]
    [TestCase(new[] { "check", "message.eml" }, false)]
    [TestCase(new string[0], false)]
    public void OnlyTheDaemon_RunsInline(string[] args, bool inline)
    {
        Assert.That(InlineSocketCompletions.AppliesTo(args), Is.EqualTo(inline));
    }
}
