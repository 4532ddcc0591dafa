namespace Filter.Engine.Policy;

/// <summary>One per-domain exception from <c>filter.yaml</c>'s <c>overrides</c> list.</summary>
/// <param name="Identity">Whether the pattern is matched against the From domain or the envelope-sender domain.</param>
/// <param name="Pattern">The domain or <c>*.domain</c> pattern.</param>
/// <param name="Action">What the override does.</param>
/// <param name="Note">The admin's note, for logs; may be null.</param>
public sealed record DomainOverride(OverrideIdentity Identity, DomainPattern Pattern, OverrideAction Action, string? Note);
