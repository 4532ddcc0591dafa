using System.Text;

namespace Filter.Testing.Mta;

/// <summary>
/// A Cyrus SASL setup of a test MTA's own (no system file touched): an application config file
/// (<c>smtpd.conf</c> for Postfix, <c>Sendmail.conf</c> for Sendmail) that checks passwords in a
/// sasldb of its own through the auxprop plugin, offering only PLAIN and LOGIN (what a mail client
/// uses; over loopback without TLS in the tests). Needs Debian's libsasl2-modules (PLAIN, LOGIN),
/// libsasl2-modules-db (the sasldb auxprop plugin) and sasl2-bin (saslpasswd2).
/// </summary>
public static class CyrusSasl
{
    // Where Debian's libsasl2 looks for its plugins (multiarch first); the plugins are not on PATH.
    private static readonly string[] s_pluginFolders = ["/usr/lib/x86_64-linux-gnu/sasl2", "/usr/lib/aarch64-linux-gnu/sasl2", "/usr/lib/sasl2"];

    /// <summary>Why a Cyrus SASL setup cannot be made here, or null when it can.</summary>
    public static string? UnavailableReason()
    {
        if (MtaProcess.Find("saslpasswd2") is null)
        {
            return "saslpasswd2 is not installed (Debian package sasl2-bin; .ci/run installs it)";
        }

        if (!HasPlugin("libplain.so") || !HasPlugin("liblogin.so"))
        {
            return "the Cyrus SASL PLAIN and LOGIN plugins are missing (Debian package libsasl2-modules; .ci/run installs it)";
        }

        if (!HasPlugin("libsasldb.so"))
        {
            return "the Cyrus SASL sasldb auxprop plugin is missing (Debian package libsasl2-modules-db; .ci/run installs it)";
        }

        return null;
    }

    /// <summary>
    /// Writes <c><paramref name="application"/>.conf</c> and a sasldb holding <paramref name="account"/>
    /// into <paramref name="directory"/>. The sasldb is readable by <paramref name="readerGroup"/>
    /// (the MTA's unprivileged group) when one is given, by its owner (root) only otherwise.
    /// </summary>
    /// <returns>The path of the sasldb file.</returns>
    public static async Task<string> WriteAsync(string directory, string application, SaslAccount account, string? readerGroup, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the MTA harness runs on Linux only");
        }

        Directory.CreateDirectory(directory);
        string database = Path.Combine(directory, "sasldb2");

        // Cyrus SASL options (sasl2 "options" page): passwords come from an auxiliary property
        // plugin, sasldb, in our own file; only the two plaintext mechanisms are offered.
        string config = new StringBuilder()
            .Append("pwcheck_method: auxprop\n")
            .Append("auxprop_plugin: sasldb\n")
            .Append("mech_list: PLAIN LOGIN\n")
            .Append("sasldb_path: ").Append(database).Append('\n')
            .ToString();
        await File.WriteAllTextAsync(Path.Combine(directory, application + ".conf"), config, cancellationToken).ConfigureAwait(false);

        // -p: the password on standard input, -c: create the entry, -f: our file, -u: the realm.
        await MtaProcess.RunAsync("saslpasswd2", ["-p", "-c", "-f", database, "-u", account.Realm, account.UserName], cancellationToken, account.Password).ConfigureAwait(false);
        if (readerGroup is not null)
        {
            await MtaProcess.RunAsync("chgrp", [readerGroup, database], cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }
        else
        {
            File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return database;
    }

    private static bool HasPlugin(string name)
    {
        foreach (string folder in s_pluginFolders)
        {
            if (File.Exists(Path.Combine(folder, name)))
            {
                return true;
            }
        }

        return false;
    }
}
