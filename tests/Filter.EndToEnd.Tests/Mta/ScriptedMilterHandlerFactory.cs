using System.Collections.Concurrent;
using Filter.Milter.Protocol;
using Filter.Milter.Session;

namespace Filter.EndToEnd.Tests.Mta;

/// <summary>
/// Makes <see cref="ScriptedMilterHandler"/>s and collects what they saw, keyed by the message's
/// Subject (each test sends a unique one). Takes the MTA's macro lists (none requested), so the
/// macros observed are those the sample configuration asks for.
/// </summary>
internal sealed class ScriptedMilterHandlerFactory : IMilterHandlerFactory
{
    private readonly ConcurrentDictionary<string, MacroObservation> _macros = new(StringComparer.Ordinal);

    public MilterCapabilities Capabilities { get; } = new(
        Steps: MilterSteps.Connect | MilterSteps.Helo | MilterSteps.Mail | MilterSteps.Recipient | MilterSteps.Data | MilterSteps.Header | MilterSteps.EndOfHeaders,
        ReplySteps: MilterSteps.None,
        Actions: MilterActionFlags.AddHeaders | MilterActionFlags.ChangeHeaders | MilterActionFlags.Quarantine,
        MacroLists: []);

    public IMilterHandler CreateHandler(MilterSessionInfo session) => new ScriptedMilterHandler(this);

    /// <summary>The macros seen for the message with this Subject, or null if the milter never saw its end.</summary>
    public MacroObservation? MacrosFor(string subject) => _macros.TryGetValue(subject, out MacroObservation? observation) ? observation : null;

    internal void Record(string subject, MacroObservation observation) => _macros[subject] = observation;
}
