namespace Filter.Host.Glue;

/// <summary>The <paramref name="Occurrence"/>-th (1-based) header called <paramref name="Name"/>, as the MTA counts for CHGHEADER.</summary>
internal sealed record HeaderOccurrence(string Name, int Occurrence);
