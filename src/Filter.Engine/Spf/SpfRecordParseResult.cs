namespace Filter.Engine.Spf;

/// <summary>The outcome of parsing one record text: a record, or the syntax error (with position) that makes it a permerror.</summary>
internal sealed record SpfRecordParseResult(SpfRecord? Record, string? Error);
