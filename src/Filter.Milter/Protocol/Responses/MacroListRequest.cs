namespace Filter.Milter.Protocol;

/// <summary>
/// One macro list a v6 milter asks for in its OPTNEG reply (milter reference §6.4): the list
/// replaces the MTA's configured list for that stage, for this milter only.
/// </summary>
/// <param name="Stage">The stage.</param>
/// <param name="Names">Macro names separated by spaces, e.g. "{auth_authen} i". Sendmail takes at most 50.</param>
public sealed record MacroListRequest(MacroStage Stage, string Names);
