using System.Text.Json;
using System.Text.Json.Nodes;
using Plexus.Host.Protocol;

namespace Plexus.Host.Agents;

/// <summary>
/// Adds Plexus's hook entries to the text of a user's settings file, or takes them out, and touches nothing else:
/// the user's own hooks, every other key and the key order stay, and the text is written back in the file's own
/// indentation and line endings. Plexus's entries are the hook commands that contain <see cref="HookCommand.Option"/>,
/// in the nesting Claude Code and Gemini CLI share: <c>hooks.EVENT[] = {matcher, hooks: [{type, command, timeout}]}</c>.
/// A file it cannot read for sure (comments, trailing commas, invalid JSON, another shape) is refused, never rewritten.
/// </summary>
internal static class HookSettingsMerge
{
    private const string Hooks = "hooks";

    /// <summary>
    /// The file's text after <paramref name="change"/>: <paramref name="current"/> itself (the same instance) when
    /// nothing would change, null when there is no file and none is needed.
    /// </summary>
    /// <param name="current">The file's text, or null when it does not exist.</param>
    /// <param name="file">The file's path, for the messages.</param>
    /// <exception cref="PlexusException">SettingsNotEditable, saying why.</exception>
    public static string? Propose(AgentKind agent, HookChange change, string? current, string file)
    {
        var plexus = AgentHookFiles.HooksFor(agent);
        if (current is null || current.Trim().Length == 0)
        {
            return change == HookChange.Install ? AgentHookFiles.Serialize(new JsonObject { [Hooks] = plexus })
                : current;
        }

        var root = Parse(current, file);
        var style = Style.Of(current);
        var before = style.Write(root);
        if (root[Hooks] is { } existing && existing is not JsonObject)
        {
            throw NotEditable(file, $"its \"{Hooks}\" is not an object");
        }

        var hooks = root[Hooks] as JsonObject;
        if (change == HookChange.Install)
        {
            if (hooks is null)
            {
                hooks = [];
                root[Hooks] = hooks;
            }

            Install(hooks, plexus, file);
        }
        else if (hooks is not null && Strip(hooks) is { Count: > 0 } stripped)
        {
            RemoveEmptied(hooks, stripped);
            if (hooks.Count == 0)
            {
                root.Remove(Hooks);
            }
        }

        var after = style.Write(root);
        return after == before ? current : after;
    }

    private static readonly JsonDocumentOptions Strict = new() { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static JsonObject Parse(string text, string file)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: Strict);

            ReadEveryObject(node);
        }
        catch (JsonException ex)
        {
            // Rewriting a file with comments would drop them: name the reason so the user can edit it by hand.
            if (ParsesLeniently(text))
            {
                throw NotEditable(file, "it has comments or trailing commas, which Plexus would lose; add the hooks by hand or remove them first");
            }

            throw NotEditable(file, $"it is not valid JSON (line {ex.LineNumber + 1})");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw NotEditable(file, "it has a key twice");
        }

        return node as JsonObject ?? throw NotEditable(file, "it is not a JSON object");
    }

    // A duplicate key surfaces only when its object is first read: read them all while a refusal is still possible.
    private static void ReadEveryObject(JsonNode? node)
    {
        var children = node switch
        {
            JsonObject members => members.Select(pair => pair.Value),
            JsonArray items => items,
            _ => [],
        };
        foreach (var child in children)
        {
            ReadEveryObject(child);
        }
    }

    private static bool ParsesLeniently(string text)
    {
        try
        {
            JsonNode.Parse(text, documentOptions: Lenient);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Replaces Plexus's entries with <paramref name="plexus"/>'s: each event's Plexus group goes where the old one
    /// was (or last), so installing twice gives the same text; events Plexus no longer uses lose their entries.
    /// </summary>
    private static void Install(JsonObject hooks, JsonObject plexus, string file)
    {
        foreach (var (hookEvent, _) in plexus)
        {
            if (hooks[hookEvent] is { } value && value is not JsonArray)
            {
                throw NotEditable(file, $"its \"{Hooks}.{hookEvent}\" is not a list");
            }
        }

        var stripped = Strip(hooks);
        foreach (var (hookEvent, groups) in plexus)
        {
            var group = groups!.AsArray()[0]!.DeepClone();
            if (hooks[hookEvent] is JsonArray existing)
            {
                var at = stripped.TryGetValue(hookEvent, out var first) && first is { } index ? Math.Min(index, existing.Count) : existing.Count;
                existing.Insert(at, group);
                stripped.Remove(hookEvent);
            }
            else
            {
                hooks[hookEvent] = new JsonArray(group);
            }
        }

        RemoveEmptied(hooks, stripped);
    }

    /// <summary>
    /// Takes Plexus's hook entries out of every event list, and a group they leave empty. Returns the events it
    /// touched, each with the index of the first group it removed (null when it only removed entries from a group
    /// the user shares).
    /// </summary>
    private static Dictionary<string, int?> Strip(JsonObject hooks)
    {
        var touched = new Dictionary<string, int?>(StringComparer.Ordinal);
        foreach (var (hookEvent, value) in hooks)
        {
            if (value is not JsonArray groups)
            {
                continue;
            }

            for (var i = groups.Count - 1; i >= 0; i--)
            {
                if (groups[i] is not JsonObject { } group || group[Hooks] is not JsonArray entries)
                {
                    continue;
                }

                var removed = 0;
                for (var j = entries.Count - 1; j >= 0; j--)
                {
                    if (entries[j] is JsonObject entry && entry["command"] is JsonValue command
                        && command.TryGetValue<string>(out var text) && HookCommand.IsPlexus(text))
                    {
                        entries.RemoveAt(j);
                        removed++;
                    }
                }

                if (removed == 0)
                {
                    continue;
                }

                touched.TryAdd(hookEvent, null);
                if (entries.Count == 0)
                {
                    groups.RemoveAt(i);
                    touched[hookEvent] = i;
                }
            }
        }

        return touched;
    }

    /// <summary>Removes the event lists that <see cref="Strip"/> left empty (a list the user left empty stays).</summary>
    private static void RemoveEmptied(JsonObject hooks, Dictionary<string, int?> touched)
    {
        foreach (var hookEvent in touched.Keys)
        {
            if (hooks[hookEvent] is JsonArray { Count: 0 })
            {
                hooks.Remove(hookEvent);
            }
        }
    }

    private static PlexusException NotEditable(string file, string why) =>
        new(ErrorCodes.SettingsNotEditable, $"Plexus left {file} unchanged: {why}.");

    /// <summary>The file's indentation, line ending and final newline, so a rewrite changes only what it must.</summary>
    private sealed record Style(char IndentCharacter, int IndentSize, string NewLine, bool FinalNewLine)
    {
        public static Style Of(string text)
        {
            var newLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
            var character = ' ';
            var size = 2;
            foreach (var line in text.Split('\n').Skip(1))
            {
                var indent = line.Length - line.TrimStart(' ', '\t').Length;
                if (indent > 0 && line.Trim().Length > 0)
                {
                    character = line[0];
                    size = character == '\t' ? 1 : Math.Min(indent, 8);
                    break;
                }
            }

            return new Style(character, size, newLine, text.EndsWith('\n'));
        }

        public string Write(JsonNode node)
        {
            var options = new JsonSerializerOptions
            {
                WriteIndented = true,
                IndentCharacter = IndentCharacter,
                IndentSize = IndentSize,
                NewLine = NewLine,
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            };
            return node.ToJsonString(options) + (FinalNewLine ? NewLine : string.Empty);
        }
    }
}
