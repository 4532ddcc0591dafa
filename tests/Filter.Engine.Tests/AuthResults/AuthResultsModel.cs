using Filter.Engine.AuthResults;

namespace Filter.Engine.Tests.AuthResults;

/// <summary>Short builders for expected models in the tests.</summary>
internal static class AuthResultsModel
{
    public static AuthenticationResults Header(string id, params MethodResult[] results) =>
        new(id) { Results = results };

    public static MethodResult Method(string method, string result, params AuthProperty[] properties)
    {
        Assert.That(AuthMethod.TryCreate(method, out var m), Is.True, method);
        Assert.That(AuthResultWord.TryCreate(result, out var r), Is.True, result);
        return new MethodResult(m, r) { Properties = properties };
    }

    /// <summary>"header.d" style property; a name without a dot is a bare (unqualified) parameter.</summary>
    public static AuthProperty Prop(string typeDotName, string value, params string[] comments)
    {
        var dot = typeDotName.IndexOf('.');
        if (dot < 0)
        {
            return new AuthProperty(null, typeDotName, value) { Comments = comments };
        }

        Assert.That(PropertyType.TryCreate(typeDotName.AsSpan(0, dot), out var type), Is.True, typeDotName);
        return new AuthProperty(type, typeDotName[(dot + 1)..], value) { Comments = comments };
    }

    public static AuthenticationResults Parse(string value)
    {
        var parsed = AuthenticationResultsParser.Parse(value);
        Assert.That(parsed.IsSuccess, Is.True, parsed.ToString());
        return parsed.Header!;
    }

    /// <summary>Each fold (CRLF and the white space after it) shown as one space, for readable expectations.</summary>
    public static string Unfold(string value) =>
        System.Text.RegularExpressions.Regex.Replace(value, "\r\n[ \t]+", " ");

    /// <summary>Strips "Authentication-Results:" from a whole field as a message carries it.</summary>
    public static string ValueOf(string field)
    {
        const string name = "Authentication-Results:";
        Assert.That(field.StartsWith(name, StringComparison.OrdinalIgnoreCase), Is.True);
        return field[name.Length..];
    }
}
