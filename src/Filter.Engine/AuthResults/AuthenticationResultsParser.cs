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

    /// <summary>Parses one header value.</summary>
    public static AuthenticationResultsParseResult Parse(ReadOnlySpan<char> value)
    {
        var cursor = new AuthResultsCursor(value);
        var deviations = AuthResultsDeviations.None;
        var headerComments = new List<string>();

        if (!cursor.SkipCfws(headerComments))
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
        var quotedId = cursor.Current == '"';
        var missingId = false;
        if (quotedId)
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
            if (AuthResultsSyntax.IsKeyword(token) && cursor.SkipCfws(null) && cursor.Current is '=' or '/')
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
            if (!cursor.SkipCfws(headerComments, out var separated))
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
                if (!cursor.SkipCfws(headerComments))
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

        var results = new List<MethodResult>();
        var first = true;
        while (true)
        {
            if (!(missingId && first))
            {
                if (!cursor.SkipCfws(LastComments(results, headerComments)))
                {
                    return Failed(ref cursor);
                }

                if (cursor.AtEnd)
                {
                    break;
                }

                if (cursor.Current != ';')
                {
                    return AuthenticationResultsParseResult.Failure(cursor.Position, $"expected ';' but found '{cursor.Current}'");
                }

                cursor.Position++;
            }

            first = false;
            var methodComments = new List<string>();
            if (!cursor.SkipCfws(methodComments))
            {
                return Failed(ref cursor);
            }

            if (cursor.AtEnd)
            {
                // "example.com; spf=pass ...;" – nothing after the last ';'.
                deviations |= AuthResultsDeviations.TrailingSemicolon;
                AttachTrailingComments(results, headerComments, methodComments);
                if (results.Count == 0)
                {
                    return AuthenticationResultsParseResult.Failure(cursor.Position, "expected a method or 'none' after ';'");
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
                if (!cursor.SkipCfws(methodComments))
                {
                    return Failed(ref cursor);
                }

                if (cursor.AtEnd || cursor.Current == ';')
                {
                    return FinishNone(ref cursor, authServId, version, headerComments, methodComments, deviations);
                }

                cursor.Position = afterNone;
                methodComments.Clear();
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
            Comments = headerComments.Count == 0 ? [] : headerComments,
        };
        return AuthenticationResultsParseResult.Success(header, deviations);
    }

    /// <summary>Parses one header value given as a string.</summary>
    public static AuthenticationResultsParseResult Parse(string value) => Parse(value.AsSpan());

    /// <summary>methodspec [ CFWS reasonspec ] *( CFWS propspec ), the method name already read.</summary>
    private static MethodResult? ParseMethod(ref AuthResultsCursor cursor, AuthMethod method, List<string> methodComments,
        ref AuthResultsDeviations deviations)
    {
        if (!cursor.SkipCfws(methodComments))
        {
            return null;
        }

        int? methodVersion = null;
        if (cursor.Current == '/')
        {
            cursor.Position++;
            if (!cursor.SkipCfws(methodComments))
            {
                return null;
            }

            if (!TryReadNumber(ref cursor, out var number))
            {
                return null;
            }

            methodVersion = number;
            if (!cursor.SkipCfws(methodComments))
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
        if (!cursor.SkipCfws(methodComments))
        {
            return null;
        }

        var resultText = cursor.ReadKeywordRun();
        if (!AuthResultWord.TryCreate(resultText, out var result))
        {
            cursor.Fail($"expected a result word after '{method.Name}='");
            return null;
        }

        string? reason = null;
        List<AuthProperty>? properties = null;
        while (true)
        {
            var target = properties is { Count: > 0 } ? (List<string>)properties[^1].Comments : methodComments;
            if (!cursor.SkipCfws(target, out var separated))
            {
                return null;
            }

            if (cursor.AtEnd || cursor.Current == ';')
            {
                break;
            }

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

            var comments = new List<string>();
            if (!cursor.SkipCfws(comments))
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
                if (!cursor.SkipCfws(comments))
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

                if (!cursor.SkipCfws(comments))
                {
                    return null;
                }

                if (cursor.Current != '=')
                {
                    cursor.Fail($"expected '=' after '{type.Name}.{name}'");
                    return null;
                }

                cursor.Position++;
                var value = ReadPValue(ref cursor, comments, ref deviations);
                if (value is null)
                {
                    return null;
                }

                properties ??= [];
                properties.Add(new AuthProperty(type, AuthResultsSyntax.ToLowerAscii(name), value) { Comments = comments });
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

                var value = ReadPValue(ref cursor, comments, ref deviations);
                if (value is null)
                {
                    return null;
                }

                if (isReason)
                {
                    // reasonspec = "reason" [CFWS] "=" [CFWS] value (RFC 8601 §2.2)
                    reason = value;
                    methodComments.AddRange(comments);
                }
                else
                {
                    deviations |= AuthResultsDeviations.UnqualifiedProperty;
                    properties ??= [];
                    properties.Add(new AuthProperty(null, AuthResultsSyntax.ToLowerAscii(keyword), value) { Comments = comments });
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
            Comments = methodComments.Count == 0 ? [] : methodComments,
        };
    }

    /// <summary>
    /// pvalue without its trailing CFWS: a quoted-string, a quoted local-part followed by
    /// "@" domain, or a bare run (token, local-part@domain, or a tolerated unquoted value).
    /// </summary>
    private static string? ReadPValue(ref AuthResultsCursor cursor, List<string> comments, ref AuthResultsDeviations deviations)
    {
        if (!cursor.SkipCfws(comments))
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
        List<string> headerComments, List<string> noneComments, AuthResultsDeviations deviations)
    {
        headerComments.AddRange(noneComments);
        if (cursor.Current == ';')
        {
            cursor.Position++;
            if (!cursor.SkipCfws(headerComments))
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
            Comments = headerComments.Count == 0 ? [] : headerComments,
        };
        return AuthenticationResultsParseResult.Success(header, deviations);
    }

    /// <summary>Where comments after the last element go: its last property, the method, or the header.</summary>
    private static List<string> LastComments(List<MethodResult> results, List<string> headerComments)
    {
        if (results.Count == 0)
        {
            return headerComments;
        }

        var last = results[^1];
        if (last.Properties.Count > 0 && last.Properties[^1].Comments is List<string> propertyComments)
        {
            return propertyComments;
        }

        if (last.Comments is List<string> methodComments)
        {
            return methodComments;
        }

        var fresh = new List<string>();
        results[^1] = last with { Comments = fresh };
        return fresh;
    }

    private static void AttachTrailingComments(List<MethodResult> results, List<string> headerComments, List<string> comments)
    {
        if (comments.Count > 0)
        {
            LastComments(results, headerComments).AddRange(comments);
        }
    }

    private static AuthenticationResultsParseResult Failed(ref AuthResultsCursor cursor) =>
        AuthenticationResultsParseResult.Failure(cursor.ErrorPosition < 0 ? cursor.Position : cursor.ErrorPosition,
            cursor.Error ?? "malformed header");
}
