using System.Text.RegularExpressions;

namespace Plexus.Host.Tests;

/// <summary>
/// The declarations of extension/protocol.ts that mirror the C# protocol, read without a TypeScript compiler:
/// <c>export interface</c>s and <c>export type</c>s (object literals, string-literal unions, aliases,
/// <c>Record&lt;string, never&gt;</c>), the <c>RequestType</c>/<c>NotificationType</c> constants and the
/// <c>ErrorCodes</c> object. It understands the plain style that file is written in; anything else is not found,
/// so a check fails rather than passes.
/// </summary>
internal sealed partial class TypeScriptProtocol
{
    private readonly Dictionary<string, Dictionary<string, TypeScriptField>> objects = [];
    private readonly Dictionary<string, string> aliases = [];
    private readonly Dictionary<string, string[]> unions = [];

    private TypeScriptProtocol()
    {
    }

    /// <summary>JSON-RPC methods by wire name.</summary>
    public Dictionary<string, TypeScriptMethod> Methods { get; } = [];

    public Dictionary<string, int> ErrorCodes { get; } = [];

    /// <summary>Interfaces, object types and aliases of them: what must each be a C# record.</summary>
    public IEnumerable<string> ObjectNames => objects.Keys.Concat(aliases.Keys.Where(alias => objects.ContainsKey(Resolve(alias))));

    public static TypeScriptProtocol Parse(string source)
    {
        var protocol = new TypeScriptProtocol();
        var code = Comment().Replace(source, string.Empty);

        foreach (Match match in Interface().Matches(code))
        {
            var open = match.Index + match.Length - 1;
            protocol.objects[match.Groups["name"].Value] = Fields(code[(open + 1)..ClosingBrace(code, open)]);
        }

        foreach (Match match in TypeAlias().Matches(code))
        {
            var name = match.Groups["name"].Value;
            var body = code[(match.Index + match.Length)..EndOfStatement(code, match.Index + match.Length)].Trim();
            var normalized = Normalize(body);
            if (StringUnion().IsMatch(normalized))
            {
                protocol.unions[name] = [.. normalized.Split('|').Select(literal => literal.Trim('\''))];
            }
            else if (normalized == "Record<string,never>")
            {
                protocol.objects[name] = [];
            }
            else if (body.StartsWith('{'))
            {
                protocol.objects[name] = Fields(body[1..ClosingBrace(body, 0)]);
            }
            else if (Identifier().IsMatch(body))
            {
                protocol.aliases[name] = body;
            }
        }

        foreach (Match match in MessageType().Matches(code))
        {
            var arguments = match.Groups["arguments"].Success ? match.Groups["arguments"].Value.Split(',').Select(argument => argument.Trim()).ToArray() : [];
            var method = match.Groups["kind"].Value switch
            {
                "RequestType" => new TypeScriptMethod(TypeScriptMethodKind.Request, arguments[0], arguments[1]),
                "RequestType0" => new TypeScriptMethod(TypeScriptMethodKind.Request, null, arguments[0]),
                "NotificationType" => new TypeScriptMethod(TypeScriptMethodKind.Notification, arguments[0], null),
                _ => new TypeScriptMethod(TypeScriptMethodKind.Notification, null, null),
            };
            protocol.Methods[match.Groups["method"].Value] = method;
        }

        if (ErrorCodeObject().Match(code) is { Success: true } errorCodes)
        {
            var open = errorCodes.Index + errorCodes.Length - 1;
            foreach (Match entry in ErrorCodeEntry().Matches(code[open..ClosingBrace(code, open)]))
            {
                protocol.ErrorCodes[entry.Groups["name"].Value] = int.Parse(entry.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return protocol;
    }

    /// <summary>A type without whitespace: <c>{ [key: string]: string }</c> reads <c>{[key:string]:string}</c>.</summary>
    public static string Normalize(string type) => Whitespace().Replace(type, string.Empty);

    /// <summary>The name an alias finally stands for (<c>SettingsUpdateParams</c> → <c>StatusSettings</c>).</summary>
    public string Resolve(string name)
    {
        for (var hops = 0; aliases.TryGetValue(name, out var target) && hops < 10; hops++)
        {
            name = target;
        }

        return name;
    }

    public IReadOnlyDictionary<string, TypeScriptField> Object(string name) =>
        objects.TryGetValue(Resolve(name), out var fields) ? fields : throw new KeyNotFoundException($"extension/protocol.ts declares no interface or object type '{name}'");

    public IReadOnlyList<string> Union(string name) =>
        unions.TryGetValue(Resolve(name), out var members) ? members : throw new KeyNotFoundException($"extension/protocol.ts declares no string-literal union '{name}'");

    private static Dictionary<string, TypeScriptField> Fields(string body)
    {
        var fields = new Dictionary<string, TypeScriptField>();
        foreach (var member in SplitMembers(body))
        {
            var match = Member().Match(member);
            if (!match.Success)
            {
                throw new FormatException($"extension/protocol.ts: cannot read the member '{member}'");
            }

            var name = match.Groups["name"].Value.Trim('\'');
            fields[name] = new TypeScriptField(name, match.Groups["optional"].Success, match.Groups["type"].Value.Trim());
        }

        return fields;
    }

    /// <summary>Members end at ';', ',' or a line break outside nested braces, brackets and parentheses.</summary>
    private static IEnumerable<string> SplitMembers(string body)
    {
        var depth = 0;
        var start = 0;
        for (var index = 0; index <= body.Length; index++)
        {
            var ch = index < body.Length ? body[index] : '\n';
            depth += ch is '{' or '[' or '(' ? 1 : ch is '}' or ']' or ')' ? -1 : 0;
            if (depth == 0 && ch is ';' or ',' or '\n')
            {
                var member = body[start..index].Trim();
                if (member.Length > 0)
                {
                    yield return member;
                }

                start = index + 1;
            }
        }
    }

    private static int ClosingBrace(string code, int open)
    {
        var depth = 0;
        for (var index = open; index < code.Length; index++)
        {
            depth += code[index] == '{' ? 1 : code[index] == '}' ? -1 : 0;
            if (depth == 0)
            {
                return index;
            }
        }

        throw new FormatException($"extension/protocol.ts: unbalanced braces after offset {open}");
    }

    private static int EndOfStatement(string code, int start)
    {
        var depth = 0;
        for (var index = start; index < code.Length; index++)
        {
            depth += code[index] is '{' or '(' or '[' ? 1 : code[index] is '}' or ')' or ']' ? -1 : 0;
            if (depth == 0 && code[index] == ';')
            {
                return index;
            }
        }

        throw new FormatException($"extension/protocol.ts: no ';' after offset {start}");
    }

    // Block comments, and line comments that start a line or follow whitespace (not '//' inside a string).
    [GeneratedRegex(@"/\*.*?\*/|(?<=^|\s)//[^\n]*", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"\bexport\s+interface\s+(?<name>\w+)[^{]*\{")]
    private static partial Regex Interface();

    [GeneratedRegex(@"\bexport\s+type\s+(?<name>\w+)\s*=\s*")]
    private static partial Regex TypeAlias();

    [GeneratedRegex(@"\bnew\s+(?<kind>RequestType0?|NotificationType0?)\s*(<(?<arguments>[^>]*)>)?\s*\(\s*'(?<method>[^']+)'")]
    private static partial Regex MessageType();

    [GeneratedRegex(@"\bexport\s+const\s+ErrorCodes\s*=\s*\{")]
    private static partial Regex ErrorCodeObject();

    [GeneratedRegex(@"\b(?<name>\w+)\s*:\s*(?<code>-?\d+)")]
    private static partial Regex ErrorCodeEntry();

    [GeneratedRegex(@"^(readonly\s+)?(?<name>\w+|'[^']+')(?<optional>\?)?\s*:\s*(?<type>.+)$", RegexOptions.Singleline)]
    private static partial Regex Member();

    [GeneratedRegex(@"^'[^']*'(\|'[^']*')*$")]
    private static partial Regex StringUnion();

    [GeneratedRegex(@"^\w+$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

internal sealed record TypeScriptField(string Name, bool Optional, string Type);

internal enum TypeScriptMethodKind
{
    Request,
    Notification,
}

/// <summary>A <c>RequestType&lt;Params, Result, Error&gt;</c> or <c>NotificationType&lt;Params&gt;</c> declaration.</summary>
internal sealed record TypeScriptMethod(TypeScriptMethodKind Kind, string? Params, string? Result);
