namespace Filter.Engine.Pipeline;

/// <summary>
/// Delete the <paramref name="Occurrence"/>-th (1-based, counted among fields of that name as received)
/// header field called <paramref name="Name"/>: the milter's CHGHEADER with an empty value.
/// </summary>
/// <param name="Name">The field name, e.g. <c>Authentication-Results</c>.</param>
/// <param name="Occurrence">1-based index among the fields with this name, in arrival order.</param>
/// <param name="Reason">Why, for the log: "names our authserv-id split by comments".</param>
public sealed record HeaderDeletion(string Name, int Occurrence, string Reason);
