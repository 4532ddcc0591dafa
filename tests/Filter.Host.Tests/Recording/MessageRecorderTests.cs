using Filter.Host.Configuration;
using Filter.Host.Recording;
using Filter.Host.Tests.Hosting;
using Microsoft.Extensions.Logging;

namespace Filter.Host.Tests.Recording;

/// <summary>
/// The policy copy saved with recorded entries (<see cref="MessageRecorder"/>): it judges as the policy in
/// force did, wherever it is replayed, or it is not saved and a warning (EventId 1011) says why.
/// </summary>
public sealed class MessageRecorderTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void ChooseFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "authfilter-recorder-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void PolicyWithoutAuthservId_IsSavedWithTheDaemonsDefault()
    {
        string path = Path.Combine(_folder, "filter.yaml");
        File.WriteAllText(path, $"recording:\n  enabled: true\n  directory: \"{Path.Combine(_folder, "rec")}\"\n");
        var loader = new PolicyFileLoader("mx.daemon.example");
        var policy = loader.Load(path).Policy!;
        var log = new CapturedLog();
        var recorder = new MessageRecorder(path, loader, new RecordingSampler(1), TimeProvider.System, log.CreateLogger("test"));

        string? text = recorder.PolicyText(policy);
        var replayed = new PolicyFileLoader("replay.host.example").LoadText(text ?? string.Empty, "copy", Path.Combine(_folder, "rec", "policies"));
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("authserv-id: \"mx.daemon.example\""));
            Assert.That(replayed.Policy?.AuthservId, Is.EqualTo("mx.daemon.example"), "a replay on another host keeps the daemon's authserv-id");
            Assert.That(log.Lines(1011), Is.Empty);
        });
    }

    [Test]
    public void PolicyFileEditedSinceLoad_IsNotSavedAndSaysWhy()
    {
        string path = Path.Combine(_folder, "filter.yaml");
        File.WriteAllText(path, "authserv-id: mx.test\n");
        var loader = new PolicyFileLoader("localhost");
        var policy = loader.Load(path).Policy!;
        File.WriteAllText(path, "authserv-id: mx.test\nactions:\n  dmarc-reject: quarantine\n");
        var log = new CapturedLog();
        var recorder = new MessageRecorder(path, loader, new RecordingSampler(1), TimeProvider.System, log.CreateLogger("test"));

        Assert.Multiple(() =>
        {
            Assert.That(recorder.PolicyText(policy), Is.Null);
            Assert.That(log.Lines(1011), Has.Count.EqualTo(1));
            Assert.That(log.Lines(1011)[0], Does.Contain("changed since it was loaded"));
        });
    }
}
