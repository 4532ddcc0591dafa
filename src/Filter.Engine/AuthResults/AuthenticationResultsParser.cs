using System.Collections.Frozen;

namespace Filter.Engine.AuthResults;

/// <summary>
/// Parses the value of an Authentication-Results header field (the text after the colon,
/// folded or unfolded) per RFC 8601 §2.2, into <see cref="AuthenticationResults"/>.
/// </summary>
/// <remarks>
/// <para>The grammar, with CFWS (comments, white space, folding) allowed wherever it shows:</para>
/// <code>
/// authres-payload = [CFWS] authserv-id [ CFWS authres-version ] ( no-result / 1*resinfo ) [CFWS]
/// authres-version = 1*DIGIT [CFWS]
/// no-result       = [CFWS] ";" [CFWS] "none"
/// resinfo         = [CFWS] ";" methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]
/// methodspec      = [CFWS] method [CFWS] "=" [CFWS] result
/// method          = Keyword [ [CFWS] "/" [CFWS] method-version ]
/// reasonspec      = "reason" [CFWS] "=" [CFWS] value
/// propspec        = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
/// pvalue          = [CFWS] ( value / [ [ local-part ] "@" ] domain-name ) [CFWS]
/// </code>
/// <para>Keywords are compared case-insensitively and stored lower-case. Comments are kept on the
/// element they follow (see <see cref="MethodResult.Comments"/>). What big receivers write
/// outside the grammar is tolerated and reported in <see cref="AuthenticationResultsParseResult.Deviations"/>;
/// anything else fails with a position. Nothing here throws on input.</para>
/// </remarks>
internal static class AuthenticationResultsParser
{
    private const int MaxVersionDigits = 9;

    // Registered property names (IANA Email Authentication Methods), interned lower-case.
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> s_propertyNames =
        new[]
        {
            "d", "i", "s", "a", "b", "mailfrom", "helo", "rcptto", "auth", "from", "sender", "resent-from", "resent-sender",
            "dmarc", "iprev", "remote-ip", "oldest-pass", "md", "mv", "zone", "ip", "txt", "sec",
            "smime-identifier", "smime-part", "smime-serial", "smime-issuer",
        }.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Parses one header value.</summary>
    public static AuthenticationResultsParseResult Parse(ReadOnlySpan<char> value)
    {
        var cursor = new AuthResultsCursor(value);
        var deviations = AuthResultsDeviations.None;
        List<string>? headerComments = null;

        if (!cursor.SkipCfws(ref headerComments))
        {
            return Failed(ref cursor);
        }

        if (cursor.AtEnd)
        {
            return AuthenticationResultsParseResult.Failure(cursor.Position, "empty value: no authserv-id");
        }

        // authserv-id = value (RFC 8601 §2.2, §2.5): an RFC 2045 token or a quoted-string.
        string authServId;
        var idStart = cursor.Position;
        var missingId = false;
        if (cursor.Current == '"')
        {
            var quoted = cursor.ReadQuotedString(out _);
            if (quoted is null)
            {
                return Failed(ref cursor);
            }

            authServId = quoted;
        }
        else
        {
            var token = cursor.ReadTokenRun();
            if (token.IsEmpty)
            {
                return AuthenticationResultsParseResult.Failure(cursor.Position, "expected an authserv-id");
            }

            // Exchange Online writes "spf=pass ...; dkim=..." with no authserv-id at all. A keyword
            // followed by '=' or '/' cannot be an id followed by a version or ';', so it is a method.
            var afterToken = cursor.Position;
            List<string>? lookahead = null;
            if (AuthResultsSyntax.IsKeyword(token) && cursor.SkipCfws(ref lookahead) && cursor.Current is '=' or '/')
            {
                missingId = true;
                deviations |= AuthResultsDeviations.MissingAuthServId;
                cursor.Position = idStart;
                authServId = string.Empty;
            }
            else
            {
                cursor.Position = afterToken;
                authServId = token.ToString();
            }
        }

        int? version = null;
        if (!missingId)
        {
            if (!cursor.SkipCfws(ref headerComments, out var separated))
            {
                return Failed(ref cursor);
            }

            if (char.IsAsciiDigit(cursor.Current))
            {
                if (!separated)
                {
                    deviations |= AuthResultsDeviations.MissingWhitespace;
                }

                if (!TryReadNumber(ref cursor, out var number))
                {
                    return Failed(ref cursor);
                }

                version = number;
                if (!cursor.SkipCfws(ref headerComments))
                {
                    return Failed(ref cursor);
                }
            }

            if (cursor.Current != ';')
            {
                return AuthenticationResultsParseResult.Failure(cursor.Position,
                    cursor.AtEnd ? "expected ';' after the authserv-id" : $"unexpected '{cursor.Current}' after the authserv-id");
            }
        }

        // Invariant from here: the cursor is at ';' or at the end (each method consumes its trailing CFWS).
        var results = new List<MethodResult>(4);
        var first = true;
        while (true)
        {
            if (!(missingId && first))
            {
                if (cursor.AtEnd)
                {
                    break;
                }

                cursor.Position++;
            }

            first = false;
            List<string>? methodComments = null;
            if (!cursor.SkipCfws(ref methodComments))
            {
                return Failed(ref cursor);
            }

            if (cursor.AtEnd)
            {
                // "example.com; spf=pass ...;" – nothing after the last ';'.
                deviations |= AuthResultsDeviations.TrailingSemicolon;
                if (results.Count == 0)
                {
                    return AuthenticationResultsParseResult.Failure(cursor.Position, "expected a method or 'none' after ';'");
                }

                if (methodComments is not null)
                {
                    results[^1] = results[^1] with { Comments = [.. results[^1].Comments, .. methodComments] };
                }

                break;
            }

            var nameStart = cursor.Position;
            var name = cursor.ReadKeywordRun();
            if (name.IsEmpty)
            {
                return AuthenticationResultsParseResult.Failure(cursor.Position, $"expected a method or 'none' but found '{cursor.Current}'");
            }

            if (results.Count == 0 && name.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                var afterNone = cursor.Position;
                List<string>? noneComments = null;
                if (!cursor.SkipCfws(ref noneComments))
                {
                    return Failed(ref cursor);
                }

                if (cursor.AtEnd || cursor.Current == ';')
                {
                    return FinishNone(ref cursor, authServId, version, headerComments, methodComments, noneComments, deviations);
                }

                cursor.Position = afterNone;
            }

            if (!AuthMethod.TryCreate(name, out var method))
            {
                return AuthenticationResultsParseResult.Failure(nameStart, "method name is not a keyword");
            }

            var parsed = ParseMethod(ref cursor, method, methodComments, ref deviations);
            if (parsed is null)
            {
                return Failed(ref cursor);
            }

            results.Add(parsed);
        }

        var header = new AuthenticationResults(authServId)
        {
            Version = version,
            Results = results,
            Comments = headerComments is null ? [] : headerComments,
        };
        return AuthenticationResultsParseResult.Success(header, deviations);
    }

    /// <summary>Parses one header value given as a string.</summary>
    public static AuthenticationResultsParseResult Parse(string value) => Parse(value.AsSpan());

    /// <summary>
    /// methodspec [ CFWS reasonspec ] *( CFWS propspec ) and the CFWS after it, the method name
    /// already read. Leaves the cursor at ';' or the end.
    /// </summary>
    private static MethodResult? ParseMethod(ref AuthResultsCursor cursor, AuthMethod method, List<string>? methodComments,
        ref AuthResultsDeviations deviations)
    {
        if (!cursor.SkipCfws(ref methodComments))
        {
            return null;
        }

        int? methodVersion = null;
        if (cursor.Current == '/')
        {
            cursor.Position++;
            if (!cursor.SkipCfws(ref methodComments))
            {
                return null;
            }

            if (!TryReadNumber(ref cursor, out var number))
            {
                return null;
            }

            methodVersion = number;
            if (!cursor.SkipCfws(ref methodComments))
            {
                return null;
            }
        }

        if (cursor.Current != '=')
        {
            cursor.Fail($"expected '=' after method '{method.Name}'");
            return null;
        }

        cursor.Position++;
        if (!cursor.SkipCfws(ref methodComments))
        {
            return null;
        }

        var resultText = cursor.ReadKeywordRun();
        if (!AuthResultWord.TryCreate(resultText, out var result))
        {
            cursor.Fail($"expected a result word after '{method.Name}='");
            return null;
        }

        if (!cursor.SkipCfws(ref methodComments, out var separated))
        {
            return null;
        }

        string? reason = null;
        List<AuthProperty>? properties = null;
        while (!cursor.AtEnd && cursor.Current != ';')
        {
            if (!separated)
            {
                deviations |= AuthResultsDeviations.MissingWhitespace;
            }

            var keywordStart = cursor.Position;
            var keyword = cursor.ReadKeywordRun();
            if (keyword.IsEmpty)
            {
                cursor.Fail($"expected a property, 'reason=' or ';' but found '{cursor.Current}'");
                return null;
            }

            List<string>? comments = null;
            if (!cursor.SkipCfws(ref comments))
            {
                return null;
            }

            if (cursor.Current == '.')
            {
                // propspec = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
                if (!PropertyType.TryCreate(keyword, out var type))
                {
                    cursor.Position = keywordStart;
                    cursor.Fail("property type is not a keyword");
                    return null;
                }

                cursor.Position++;
                if (!cursor.SkipCfws(ref comments))
                {
                    return null;
                }

                var nameStart = cursor.Position;
                var name = cursor.ReadKeywordRun();
                if (!AuthResultsSyntax.IsKeyword(name))
                {
                    cursor.Position = nameStart;
                    cursor.Fail($"expected a property name after '{type.Name}.'");
                    return null;
                }

                if (!cursor.SkipCfws(ref comments))
                {
                    return null;
                }

                if (cursor.Current != '=')
                {
                    cursor.Fail($"expected '=' after '{type.Name}.{name}'");
                    return null;
                }

                cursor.Position++;
                var value = ReadPValue(ref cursor, ref comments, ref deviations);
                if (value is null || !cursor.SkipCfws(ref comments, out separated))
                {
                    return null;
                }

                (properties ??= new List<AuthProperty>(5)).Add(
                    new AuthProperty(type, PropertyName(name), value) { Comments = comments is null ? [] : comments });
            }
            else if (cursor.Current == '=')
            {
                cursor.Position++;
                var isReason = reason is null && properties is null && keyword.Equals("reason", StringComparison.OrdinalIgnoreCase);
                if (!isReason && !AuthResultsSyntax.IsKeyword(keyword))
                {
                    cursor.Position = keywordStart;
                    cursor.Fail("parameter name is not a keyword");
                    return null;
                }

                var value = ReadPValue(ref cursor, ref comments, ref deviations);
                if (value is null || !cursor.SkipCfws(ref comments, out separated))
                {
                    return null;
                }

                if (isReason)
                {
                    // reasonspec = "reason" [CFWS] "=" [CFWS] value (RFC 8601 §2.2); its comments belong to the method.
                    reason = value;
                    if (comments is not null)
                    {
                        (methodComments ??= []).AddRange(comments);
                    }
                }
                else
                {
                    deviations |= AuthResultsDeviations.UnqualifiedProperty;
                    (properties ??= new List<AuthProperty>(5)).Add(
                        new AuthProperty(null, PropertyName(keyword), value) { Comments = comments is null ? [] : comments });
                }
            }
            else
            {
                cursor.Fail($"expected '.' or '=' after '{keyword}'");
                return null;
            }
        }

        return new MethodResult(method, result)
        {
            MethodVersion = methodVersion,
            Reason = reason,
            Properties = properties is null ? [] : properties,
            Comments = methodComments is null ? [] : methodComments,
        };
    }

    /// <summary>The lower-case property name, without allocating for the registered ones.</summary>
    private static string PropertyName(ReadOnlySpan<char> name) =>
        s_propertyNames.TryGetValue(name, out var known) ? known : AuthResultsSyntax.ToLowerAscii(name);

    /// <summary>
    /// pvalue without its trailing CFWS: a quoted-string, a quoted local-part followed by
    /// "@" domain, or a bare run (token, local-part@domain, or a tolerated unquoted value).
    /// </summary>
    private static string? ReadPValue(ref AuthResultsCursor cursor, ref List<string>? comments, ref AuthResultsDeviations deviations)
    {
        if (!cursor.SkipCfws(ref comments))
        {
            return null;
        }

        if (cursor.Current == '"')
        {
            var decoded = cursor.ReadQuotedString(out var raw);
            if (decoded is null)
            {
                return null;
            }

            if (cursor.Current != '@')
            {
                return decoded;
            }

            // [ local-part ] "@" domain-name with a quoted local-part: keep the address as written.
            cursor.Position++;
            var domain = cursor.ReadBareValue();
            if (!AuthResultsSyntax.IsDomainName(domain))
            {
                deviations |= AuthResultsDeviations.UnquotedSpecials;
            }

            return string.Concat(raw, "@", domain);
        }

        var bare = cursor.ReadBareValue();
        if (bare.IsEmpty)
        {
            cursor.Fail(cursor.AtEnd ? "expected a value at the end" : $"expected a value but found '{cursor.Current}'");
            return null;
        }

        if (!AuthResultsSyntax.IsToken(bare) && !AuthResultsSyntax.IsAddressPValue(bare))
        {
            deviations |= AuthResultsDeviations.UnquotedSpecials;
        }

        return bare.ToString();
    }

    private static bool TryReadNumber(ref AuthResultsCursor cursor, out int number)
    {
        var start = cursor.Position;
        var digits = cursor.ReadDigits();
        if (digits.IsEmpty)
        {
            number = 0;
            return cursor.Fail("expected a version number");
        }

        if (digits.Length > MaxVersionDigits)
        {
            number = 0;
            cursor.Position = start;
            return cursor.Fail("version number too long");
        }

        number = int.Parse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>no-result: "none" and at most a tolerated trailing ';' with CFWS.</summary>
    private static AuthenticationResultsParseResult FinishNone(ref AuthResultsCursor cursor, string authServId, int? version,
        List<string>? headerComments, List<string>? beforeNone, List<string>? afterNone, AuthResultsDeviations deviations)
    {
        if (beforeNone is not null)
        {
            (headerComments ??= []).AddRange(beforeNone);
        }

        if (afterNone is not null)
        {
            (headerComments ??= []).AddRange(afterNone);
        }

        if (cursor.Current == ';')
        {
            cursor.Position++;
            if (!cursor.SkipCfws(ref headerComments))
            {
                return Failed(ref cursor);
            }

            if (!cursor.AtEnd)
            {
                return AuthenticationResultsParseResult.Failure(cursor.Position, "'none' must be the only result");
            }

            deviations |= AuthResultsDeviations.TrailingSemicolon;
        }

        var header = new AuthenticationResults(authServId)
        {
            Version = version,
            Comments = headerComments is null ? [] : headerComments,
        };
        return AuthenticationResultsParseResult.Success(header, deviations);
    }

    private static AuthenticationResultsParseResult Failed(ref AuthResultsCursor cursor) =>
        AuthenticationResultsParseResult.Failure(cursor.ErrorPosition < 0 ? cursor.Position : cursor.ErrorPosition,
            cursor.Error ?? "malformed header");
}
