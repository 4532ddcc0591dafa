namespace Filter.Testing.Mta;

/// <summary>
/// A login an MTA under test accepts for SMTP AUTH (RFC 4954), kept in a Cyrus sasldb of the test
/// instance's own. <see cref="Realm"/> is the Cyrus realm the MTA is told to use, so the client logs
/// in with the bare <see cref="UserName"/>.
/// </summary>
/// <param name="UserName">The login the client sends, and what the MTA reports as <c>{auth_authen}</c>.</param>
/// <param name="Password">The password stored in the sasldb.</param>
/// <param name="Realm">The Cyrus SASL realm the entry is stored under.</param>
public sealed record SaslAccount(string UserName, string Password, string Realm);
