using Filter.Engine.Dkim;

namespace Filter.Host.Tests.Replay;

/// <summary>
/// The corpus entries, by theme. Each expectation is reasoned from the RFCs (the description names the
/// section); none is copied from a run. Envelope defaults: client 203.0.113.66 (Outside, in nobody's SPF
/// range except the attacker domains) or 192.0.2.25 (Inside, the senders' range), HELO mta.sender.example.
/// </summary>
internal static partial class CorpusGenerator
{
    // A fixed time in the past for t= and x= of the expired signature; any replay runs after it.
    private static readonly DateTimeOffset SignedLongAgo = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static void AddFirstEntries(CorpusManifestWriter m, CorpusKeys k)
    {
        m.Add("01-bank-ed25519-pass", "DKIM ed25519 aligned pass from outside the SPF range (RFC 8463, RFC 9989 4.4.1)",
            Sign(Mail("Bank <notice@bank.example>", "Your statement"), "bank.example", k.Ed25519, "ed"), Outside, "bounce@bank.example",
            "accept", "fail", "pass", "pass");
        m.Add("02-bank-rsa-pass", "DKIM rsa-sha256 aligned pass (RFC 6376, RFC 8301)",
            Sign(Mail("Bank <notice@bank.example>", "Your card"), "bank.example", k.Rsa, "rsa"), Outside, "bounce@bank.example",
            "accept", "fail", "pass", "pass");
        m.Add("03-bank-spf-pass", "SPF aligned pass, no signature (RFC 9989 4.4.2)",
            Mail("Bank <notice@bank.example>", "Login alert"), Inside, "bounce@bank.example",
            "accept", "pass", "none", "pass");
        m.Add("04-bank-spoof", "p=reject, nothing authenticates: reject 550 5.7.1",
            Mail("Bank <security@bank.example>", "Verify your account"), Outside, "bounce@bank.example",
            "reject", "fail", "none", "fail");
        m.Add("05-bank-body-altered", "signed, body changed in transit: DKIM fail (body hash), DMARC fail",
            Tamper(Sign(Mail("Bank <notice@bank.example>", "Payment"), "bank.example", k.Ed25519, "ed")), Outside, "bounce@bank.example",
            "reject", "fail", "fail", "fail");
        m.Add("06-bank-unaligned-dkim", "valid signature of another domain does not align",
            Sign(Mail("Bank <notice@bank.example>", "Offer"), "news.example", k.Ed25519, "ed"), Outside, "bounce@news.example",
            "reject", "fail", "pass", "fail");
        m.Add("07-shop-quarantine", "p=quarantine, SPF softfail: quarantine (MTA hold queue)",
            Mail("Shop <sale@shop.example>", "Big sale"), Outside, "bounce@shop.example",
            "quarantine", "softfail", "none", "fail");
        m.Add("08-news-p-none", "p=none: the failure is recorded, the message accepted",
            Mail("News <letter@news.example>", "Weekly"), Outside, "bounce@news.example",
            "accept", "fail", "none", "fail");
        m.Add("09-no-dmarc-record", "no DMARC record: dmarc=none, accept",
            Mail("Someone <a@nodmarc.example>", "Hello"), Outside, "a@nodmarc.example",
            "accept", "fail", "none", "none");
        m.Add("10-dns-timeout", "DMARC lookup times out: temperror, tempfail 451 4.7.1",
            Mail("Slow <a@slow.example>", "Hello"), Inside, "a@slow.example",
            "tempfail", "pass", "none", "temperror");
        m.Add("11-subdomain-sp", "existing subdomain, unauthenticated: sp=quarantine applies (RFC 9989 4.7)",
            Mail("Dept <dept@sub.bank.example>", "Internal"), Outside, "bounce@sub.bank.example",
            "quarantine", "none", "none", "fail");
        m.Add("12-nonexistent-subdomain-np", "non-existent subdomain: np=reject applies (RFC 9989 4.7)",
            Mail("Ghost <x@ghost.bank.example>", "Invoice"), Outside, "bounce@ghost.bank.example",
            "reject", "none", "none", "fail");
        m.Add("13-multiple-from", "two From fields (RFC 5322 3.6): never a pass, rejected by default",
            Sign(Mail("Bank <notice@bank.example>", "Two authors", "From: Mallory <m@qx7rt-mailer.example>\r\n"), "bank.example", k.Ed25519, "ed"),
            Inside, "bounce@bank.example", "reject", "pass", "pass", "permerror");
        m.Add("14-forged-authentication-results", "arrives with our authserv-id in A-R: removed; real pass accepted",
            Sign(Mail("Bank <notice@bank.example>", "Statement", "Authentication-Results: mx.receiver.example; dmarc=pass header.from=bank.example\r\n"),
                "bank.example", k.Ed25519, "ed"), Outside, "bounce@bank.example", "accept", "fail", "pass", "pass");
        m.Add("15-authenticated-submitter", "authenticated submitter: recorded, not judged",
            Mail("Bank <notice@bank.example>", "Sent by a user"), Outside, "bounce@bank.example",
            "accept", "fail", "none", "fail", authUser: "alice");
        m.Add("16-mailing-list-rewrite", "list rewrites From to its own domain and re-signs: aligned pass",
            Sign(Mail("\"Alice via Members\" <members@lists.example>", "[members] Meeting", "Reply-To: alice@bank.example\r\n"), "lists.example", k.Ed25519, "ed"),
            ListServer, "members-bounces@lists.example", "accept", "pass", "pass", "pass");
        m.Add("17-jp-display-name-amazon", "phishing as it arrives in Japan: display name Amazon.co.jp over an unrelated address; DMARC cannot judge it (none)",
            Mail("Amazon.co.jp <account-update@qx7rt-mailer.example>", "=?UTF-8?B?44Ki44Kr44Km44Oz44OI?="), Outside, "bounce@qx7rt-mailer.example",
            "accept", "pass", "none", "none");
        m.Add("18-jp-random-local-part-spoof", "random local part at a real-looking provider domain, spoofed from outside: p=reject",
            Mail("<k8zq2vx7@mailbox-provider.example>", "Delivery notice"), Outside, "k8zq2vx7@mailbox-provider.example",
            "reject", "fail", "none", "fail");
        m.Add("19-jp-lookalike-amzon", "amzon-style look-alike domain with its own SPF and no DMARC: passes SPF, DMARC none",
            Mail("Amazon <info@amzon.example>", "Order confirmation"), Outside, "info@amzon.example",
            "accept", "pass", "none", "none");
        m.Add("20-null-sender-helo", "bounce with the null sender: SPF checks postmaster@HELO (RFC 7208 2.4), aligned with From",
            Mail("Mail Delivery <mailer-daemon@bank.example>", "Undeliverable"), Inside, "",
            "accept", "pass", "none", "pass", helo: "mta.bank.example");

    }

    /// <summary>Every SPF result word (RFC 7208 2.6) and how DMARC uses it: only an aligned pass counts.</summary>
    private static void AddSpfEntries(CorpusManifestWriter m, CorpusKeys k)
    {
        m.Add("21-spf-neutral", "SPF ?all: neutral (RFC 7208 2.6.2) is no pass; p=quarantine applies",
            Mail("Neutral <info@neutral.example>", "Neutral"), Outside, "bounce@neutral.example",
            "quarantine", "neutral", "none", "fail");
        m.Add("22-spf-neutral-dkim-pass", "SPF neutral, but an aligned DKIM pass is enough for DMARC (RFC 9989 4.4)",
            Sign(Mail("Neutral <info@neutral.example>", "Neutral but signed"), "neutral.example", k.Ed25519, "ed"), Outside, "bounce@neutral.example",
            "accept", "neutral", "pass", "pass");
        m.Add("23-spf-permerror-dkim-pass", "unknown SPF mechanism: permerror for the whole record (RFC 7208 4.6); DKIM still passes",
            Sign(Mail("Typo <info@typo-spf.example>", "Typo in SPF"), "typo-spf.example", k.Rsa, "rsa"), Inside, "bounce@typo-spf.example",
            "accept", "permerror", "pass", "pass");
        m.Add("24-spf-permerror-unsigned", "SPF permerror even from the listed address, no signature: DMARC fail, p=reject",
            Mail("Typo <info@typo-spf.example>", "Typo, unsigned"), Inside, "bounce@typo-spf.example",
            "reject", "permerror", "none", "fail");
        m.Add("25-spf-lookup-limit", "SPF include loop: more than 10 DNS-querying terms is permerror (RFC 7208 4.6.4); p=none",
            Mail("Loop <info@loop.example>", "Include loop"), Inside, "bounce@loop.example",
            "accept", "permerror", "none", "fail");
        m.Add("26-spf-void-lookup-limit", "third void lookup (NXDOMAIN) is permerror (RFC 7208 4.6.4); no DMARC record",
            Mail("Voids <info@voids.example>", "Void lookups"), Inside, "bounce@voids.example",
            "accept", "permerror", "none", "none");
        m.Add("27-spf-two-records", "two v=spf1 records: permerror (RFC 7208 4.5); aligned rsa-sha256 pass",
            Sign(Mail("Two <info@twospf.example>", "Two SPF records"), "twospf.example", k.Rsa, "rsa"), Inside, "bounce@twospf.example",
            "accept", "permerror", "pass", "pass");
        m.Add("28-spf-servfail-dkim-pass", "SPF lookup SERVFAIL: temperror (RFC 7208 4.4); an aligned DKIM pass decides anyway",
            Sign(Mail("Flaky SPF <info@spf-servfail.example>", "SPF servfail, signed"), "spf-servfail.example", k.Ed25519, "ed"), Outside, "bounce@spf-servfail.example",
            "accept", "temperror", "pass", "pass");
        m.Add("29-spf-servfail-unsigned", "SPF temperror and nothing else: the aligned SPF check did not complete, so DMARC can neither pass nor fail (RFC 9989 5.3.6): tempfail",
            Mail("Flaky SPF <info@spf-servfail.example>", "SPF servfail, unsigned"), Outside, "bounce@spf-servfail.example",
            "tempfail", "temperror", "none", "temperror");
    }

    /// <summary>DKIM outcomes (RFC 6376 6.1, RFC 8301, RFC 8463); the sender is outside bank.example's SPF range, so DKIM decides.</summary>
    private static void AddDkimEntries(CorpusManifestWriter m, CorpusKeys k)
    {
        const string From = "Bank <notice@bank.example>";
        const string MailFrom = "bounce@bank.example";
        m.Add("30-dkim-header-changed", "Subject changed after signing: signature did not verify (RFC 6376 6.1.3), DMARC fail",
            Replace(Sign(Mail(From, "Account notice"), "bank.example", k.Ed25519, "ed"), "Subject: Account notice", "Subject: Account notice (urgent)"),
            Outside, MailFrom, "reject", "fail", "fail", "fail");
        m.Add("31-dkim-revoked-key", "key record with empty p=: revoked (RFC 6376 3.6.1, 6.1.2 PERMFAIL)",
            Sign(Mail(From, "Old key"), "bank.example", k.Ed25519, "revoked"), Outside, MailFrom,
            "reject", "fail", "permerror", "fail");
        m.Add("32-dkim-no-key", "selector without a key record: PERMFAIL no key (RFC 6376 6.1.2)",
            Sign(Mail(From, "Unknown selector"), "bank.example", k.Ed25519, "missing"), Outside, MailFrom,
            "reject", "fail", "permerror", "fail");
        m.Add("33-dkim-expired", "x= in the past: signature expired (RFC 6376 3.5, 6.1.1), no pass",
            Sign(Mail(From, "Expired"), new DkimSignerOptions
            {
                Domain = "bank.example", Selector = "ed", Key = k.Ed25519, Timestamp = SignedLongAgo, Expiration = SignedLongAgo.AddDays(7),
            }), Outside, MailFrom, "reject", "fail", "fail", "fail");
        m.Add("34-dkim-rsa-sha1", "rsa-sha1 signature: refused by policy (RFC 8301 3.1), so no DMARC pass",
            SignRsaSha1(Mail(From, "Legacy signer"), "bank.example", "rsa", k.RsaForSha1), Outside, MailFrom,
            "reject", "fail", "policy", "fail");
        m.Add("35-dkim-short-rsa-key", "512-bit RSA key: refused by policy (RFC 8301 3.2), so no DMARC pass",
            Sign(Mail(From, "Short key"), "bank.example", k.ShortRsa, "short"), Outside, MailFrom,
            "reject", "fail", "policy", "fail");
        m.Add("36-dkim-l-tag-appended", "l= signs only the first bytes: text appended later rides on the pass (RFC 6376 8.2, a known risk)",
            Append(Sign(Mail(From, "Length tag"), new DkimSignerOptions { Domain = "bank.example", Selector = "ed", Key = k.Ed25519, IncludeBodyLength = true }),
                "\r\nP.S. Confirm your card at the link below within 24 hours.\r\n"),
            Outside, MailFrom, "accept", "fail", "pass", "pass");
        m.Add("37-dkim-multiple-one-good", "two signatures, the top one has no key: one aligned pass is enough (RFC 6376 6.1, RFC 9989 4.4.1)",
            Sign(Sign(Mail(From, "Two signatures"), "bank.example", k.Ed25519, "ed"), "bank.example", k.Ed25519, "missing"), Outside, MailFrom,
            "accept", "fail", "permerror,pass", "pass");
        m.Add("38-dkim-ed25519-and-rsa", "signed with ed25519 on top of rsa-sha256, both pass (RFC 8463 dual signing)",
            Sign(Sign(Mail(From, "Dual signed"), "bank.example", k.Rsa, "rsa"), "bank.example", k.Ed25519, "ed"), Outside, MailFrom,
            "accept", "fail", "pass,pass", "pass");
        m.Add("39-dkim-key-timeout", "key lookup times out, SPF fails: the aligned DKIM check did not complete (RFC 9989 5.3.6): tempfail",
            Sign(Mail(From, "Key timeout"), "bank.example", k.Ed25519, "slowkey"), Outside, MailFrom,
            "tempfail", "fail", "temperror", "temperror");
        m.Add("40-dkim-key-timeout-spf-pass", "key lookup times out, but aligned SPF passes: DMARC pass",
            Sign(Mail(From, "Key timeout, SPF ok"), "bank.example", k.Ed25519, "slowkey"), Inside, MailFrom,
            "accept", "pass", "temperror", "pass");
        m.Add("41-dkim-simple-canonicalization", "c=simple/simple rsa-sha256, unchanged in transit: pass (RFC 6376 3.4.1, 3.4.3)",
            Sign(Mail(From, "Simple"), new DkimSignerOptions
            {
                Domain = "bank.example", Selector = "rsa", Key = k.Rsa,
                HeaderCanonicalization = DkimCanonicalization.Simple, BodyCanonicalization = DkimCanonicalization.Simple,
            }), Outside, MailFrom, "accept", "fail", "pass", "pass");
        m.Add("42-dkim-relaxed-whitespace", "c=relaxed/relaxed survives whitespace changes in a header and the body (RFC 6376 3.4.2, 3.4.4)",
            Replace(Replace(Sign(Mail(From, "Relaxed"), "bank.example", k.Ed25519, "ed"), "Subject: Relaxed", "Subject:   Relaxed  "),
                "sample message of the authfilter corpus.", "sample   message of the authfilter corpus.   "),
            Outside, MailFrom, "accept", "fail", "pass", "pass");
    }

    /// <summary>DMARC policy, alignment modes, t=, subdomains, the PSD tree walk, DNS errors (RFC 9989 4.4, 4.7, 4.10, 5.3).</summary>
    private static void AddDmarcEntries(CorpusManifestWriter m, CorpusKeys k)
    {
        m.Add("43-dmarc-relaxed-spf-subdomain", "MAIL FROM mail.bank.example passes SPF, relaxed aspf aligns it with bank.example (RFC 9989 4.4.2)",
            Mail("Bank <notice@bank.example>", "Relaxed SPF"), Inside, "bounce@mail.bank.example",
            "accept", "pass", "none", "pass");
        m.Add("44-dmarc-relaxed-dkim-subdomain", "d=mail.bank.example, relaxed adkim aligns it with bank.example (RFC 9989 4.4.1)",
            Sign(Mail("Bank <notice@bank.example>", "Relaxed DKIM"), "mail.bank.example", k.Ed25519, "ed"), Outside, "bounce@bank.example",
            "accept", "fail", "pass", "pass");
        m.Add("45-dmarc-strict-spf-subdomain", "aspf=s: an SPF pass for mail.strict.example does not align with strict.example",
            Mail("Strict <info@strict.example>", "Strict SPF"), Inside, "bounce@mail.strict.example",
            "reject", "pass", "none", "fail");
        m.Add("46-dmarc-strict-dkim-subdomain", "adkim=s: a DKIM pass for mail.strict.example does not align with strict.example",
            Sign(Mail("Strict <info@strict.example>", "Strict DKIM"), "mail.strict.example", k.Ed25519, "ed"), Outside, "bounce@strict.example",
            "reject", "fail", "pass", "fail");
        m.Add("47-dmarc-strict-exact-pass", "adkim=s: d= identical to the From domain aligns",
            Sign(Mail("Strict <info@strict.example>", "Strict exact"), "strict.example", k.Ed25519, "ed"), Outside, "bounce@strict.example",
            "accept", "fail", "pass", "pass");
        m.Add("48-dmarc-testing-t-y", "p=reject with t=y: applied one level lower, quarantine (RFC 9989 4.7)",
            Mail("Testing <info@testing.example>", "Testing mode"), Outside, "bounce@testing.example",
            "quarantine", "fail", "none", "fail");
        m.Add("49-dmarc-subdomain-own-record", "subdomain with its own record p=none: that record applies, not the parent's (RFC 9989 4.10.1)",
            Mail("Dept <info@dept.bank.example>", "Own record"), Outside, "bounce@dept.bank.example",
            "accept", "fail", "none", "fail");
        m.Add("50-dmarc-psd-policy", "no record at acme.registry.example: the tree walk finds the PSD record (psd=y) and its policy applies (RFC 9989 4.10.1)",
            Mail("Acme <info@acme.registry.example>", "PSD policy"), Outside, "bounce@acme.registry.example",
            "reject", "fail", "none", "fail");
        m.Add("51-dmarc-psd-org-alignment", "psd=y makes acme.registry.example the Organizational Domain, so d=mail.acme.registry.example aligns (RFC 9989 4.10.2)",
            Sign(Mail("Acme <info@acme.registry.example>", "PSD alignment"), "mail.acme.registry.example", k.Ed25519, "ed"), Outside, "bounce@acme.registry.example",
            "accept", "fail", "pass", "pass");
        m.Add("52-dmarc-record-servfail", "DMARC lookup SERVFAIL: temperror, tempfail 451 4.7.1 (RFC 9989 4.10.1)",
            Mail("Flaky <info@flaky.example>", "Policy servfail"), Inside, "bounce@flaky.example",
            "tempfail", "pass", "none", "temperror");
        m.Add("53-dmarc-tree-walk-servfail", "no record at x.walk.example, SERVFAIL at walk.example: the walk cannot finish, temperror",
            Mail("Walk <info@x.walk.example>", "Walk servfail"), Outside, "bounce@x.walk.example",
            "tempfail", "fail", "none", "temperror");
    }

    /// <summary>The From field: several authors, quoted local parts, comments, folding, IDN (RFC 5322 3.4, 3.6.2; RFC 6532; RFC 9989 5.3.1).</summary>
    private static void AddFromFieldEntries(CorpusManifestWriter m, CorpusKeys k)
    {
        m.Add("54-from-two-domains-one-field", "one From field, two author domains: no single Author Domain, rejected by default (RFC 9989 5.3.1)",
            Sign(Mail("Bank <notice@bank.example>, Mallory <m@qx7rt-mailer.example>", "Two authors, one field"), "bank.example", k.Ed25519, "ed"),
            Inside, "bounce@bank.example", "reject", "pass", "pass", "permerror");
        m.Add("55-from-two-mailboxes-one-domain", "two mailboxes of one domain: one Author Domain, evaluated normally",
            Sign(Mail("notice@bank.example, security@bank.example", "Two mailboxes"), "bank.example", k.Ed25519, "ed"),
            Outside, "bounce@bank.example", "accept", "fail", "pass", "pass");
        m.Add("56-from-quoted-local-part", "quoted local part with the brand inside: the Author Domain is qx7rt-mailer.example, not bank.example (RFC 5322 3.4.1)",
            Mail("<\"notice@bank.example\"@qx7rt-mailer.example>", "Quoted local part"), Outside, "bounce@qx7rt-mailer.example",
            "accept", "pass", "none", "none");
        m.Add("57-from-comment-domain", "the brand in a comment after the address does not make it the Author Domain (RFC 5322 3.2.2)",
            Mail("notice@qx7rt-mailer.example (bank.example)", "Comment"), Outside, "bounce@qx7rt-mailer.example",
            "accept", "pass", "none", "none");
        m.Add("58-from-folded-with-comments", "From folded over three lines with comments: unfolded and read correctly (RFC 5322 2.2.3, 3.2.2)",
            Sign(Mail("(Bank of Example)\r\n \"Bank Notices\"\r\n\t<notice@bank.example> (statements\r\n desk)", "Folded From"), "bank.example", k.Ed25519, "ed"),
            Outside, "bounce@bank.example", "accept", "fail", "pass", "pass");
        m.Add("59-from-idn-pass", "UTF-8 From with a U-label domain (RFC 6532): compared as its A-label xn--r8jz45g.example, aligned DKIM pass",
            Sign(Mail("例え銀行 <info@例え.example>", "IDN signed"), "xn--r8jz45g.example", k.Ed25519, "ed"), Outside, "bounce@xn--r8jz45g.example",
            "accept", "fail", "pass", "pass");
        m.Add("60-from-idn-spoof", "U-label From spoofed from outside: the A-label's p=reject applies",
            Mail("例え銀行 <info@例え.example>", "IDN spoof"), Outside, "bounce@xn--r8jz45g.example",
            "reject", "fail", "none", "fail");
    }

    /// <summary>Phishing as it arrives in Japan, the null sender, and Authentication-Results from elsewhere.</summary>
    private static void AddPhishingAndEnvelopeEntries(CorpusManifestWriter m, CorpusKeys k)
    {
        m.Add("61-jp-display-name-encoded", "encoded-word display name 'Amazon.co.jp カスタマーサービス' over an unrelated address: DMARC judges only the address (none)",
            Mail("=?UTF-8?B?QW1hem9uLmNvLmpwIOOCq+OCueOCv+ODnuODvOOCteODvOODk+OCuQ==?= <support@qx7rt-mailer.example>", "Account locked"), Outside, "bounce@qx7rt-mailer.example",
            "accept", "pass", "none", "none");
        m.Add("62-jp-lookalike-authenticated", "look-alike amaz0n-jp.example with SPF, DKIM and DMARC all in order: passes, as it should; authentication proves the domain, not the brand",
            Sign(Mail("Amazon.co.jp <account@amaz0n-jp.example>", "Payment method expired"), "amaz0n-jp.example", k.Ed25519, "ed"), Outside, "bounce@amaz0n-jp.example",
            "accept", "pass", "pass", "pass");
        m.Add("63-jp-provider-p-none-spoof", "random local part at a provider that publishes only p=none: DMARC fail, but the owner asked for no action",
            Mail("<r4nd0mq8@webmail-provider.example>", "Delivery failed"), Outside, "r4nd0mq8@webmail-provider.example",
            "accept", "fail", "none", "fail");
        m.Add("64-null-sender-helo-no-spf", "null sender, HELO name without SPF: postmaster@HELO gives none (RFC 7208 2.4, 4.3); bank.example p=reject",
            Mail("Mail Delivery <mailer-daemon@bank.example>", "Returned mail"), Inside, "",
            "reject", "none", "none", "fail", helo: "mx.unknown-helo.example");
        m.Add("65-null-sender-helo-literal", "null sender, HELO an address literal: no domain to check, SPF none (RFC 7208 4.3); news.example p=none",
            Mail("Mail Delivery <mailer-daemon@news.example>", "Returned mail"), Inside, "",
            "accept", "none", "none", "fail", helo: "[192.0.2.25]");
        m.Add("66-foreign-authentication-results", "A-R from another authserv-id is left alone and not trusted: our own checks decide (RFC 8601 5)",
            Mail("Bank <notice@bank.example>", "Upstream said pass", "Authentication-Results: mx.upstream.example; dmarc=pass header.from=bank.example\r\n"),
            Outside, "bounce@bank.example", "reject", "fail", "none", "fail");
    }
}
