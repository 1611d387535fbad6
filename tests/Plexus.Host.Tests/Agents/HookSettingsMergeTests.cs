using System.Text.Json.Nodes;
using Plexus.Host.Agents;
using Plexus.Host.Protocol;

namespace Plexus.Host.Tests.Agents;

public sealed class HookSettingsMergeTests
{
    private const string File = "/home/u/.claude/settings.json";

    private const string UserSettings = """
        {
          "model": "opus",
          "hooks": {
            "Stop": [
              {
                "matcher": "",
                "hooks": [
                  {
                    "type": "command",
                    "command": "notify-send done"
                  }
                ]
              }
            ],
            "PreCompact": []
          },
          "permissions": {
            "allow": [
              "Bash(ls)"
            ]
          }
        }

        """;

    [Fact]
    public void Install_AddsPlexusHooks_KeepsTheUsersHookAndEveryKeyInOrder()
    {
        var proposed = Propose(HookChange.Install, UserSettings);

        var root = JsonNode.Parse(proposed!)!.AsObject();
        Assert.Equal(["model", "hooks", "permissions"], root.Select(pair => pair.Key));
        Assert.Equal("opus", (string?)root["model"]);
        Assert.Equal("Bash(ls)", (string?)root["permissions"]!["allow"]![0]);
        var hooks = root["hooks"]!.AsObject();
        Assert.Equal(["Stop", "PreCompact"], hooks.Select(pair => pair.Key).Take(2));
        Assert.Equal(AgentHookFiles.ClaudeEvents.Order(), hooks.Select(pair => pair.Key).Except(["PreCompact"]).Order());
        var stop = hooks["Stop"]!.AsArray();
        Assert.Equal(2, stop.Count);
        Assert.Equal("notify-send done", (string?)stop[0]!["hooks"]![0]!["command"]);
        Assert.Equal(HookCommand.For(AgentKind.Claude, "Stop"), (string?)stop[1]!["hooks"]![0]!["command"]);
        Assert.Equal(10, (int?)stop[1]!["hooks"]![0]!["timeout"]);
        Assert.Empty(hooks["PreCompact"]!.AsArray());
    }

    [Fact]
    public void Install_Twice_ChangesNothingTheSecondTime()
    {
        var once = Propose(HookChange.Install, UserSettings)!;

        var twice = Propose(HookChange.Install, once);

        Assert.Same(once, twice);
    }

    [Fact]
    public void Install_ReplacesOnlyPlexusEntries_InPlace()
    {
        var old = HookCommand.For(AgentKind.Claude, "Stop").Replace("head -c 3000", "head -c 10", StringComparison.Ordinal);
        var settings = $$"""
            {
              "hooks": {
                "Stop": [
                  { "matcher": "", "hooks": [ { "type": "command", "command": {{JsonValue.Create(old).ToJsonString()}} } ] },
                  { "matcher": "", "hooks": [ { "type": "command", "command": "notify-send done" } ] }
                ],
                "OldEvent": [
                  { "matcher": "", "hooks": [ { "type": "command", "command": "tmux set -p @plexus_hook x" } ] }
                ]
              }
            }
            """;

        var hooks = JsonNode.Parse(Propose(HookChange.Install, settings)!)!["hooks"]!.AsObject();

        var stop = hooks["Stop"]!.AsArray();
        Assert.Equal(2, stop.Count);
        Assert.Equal(HookCommand.For(AgentKind.Claude, "Stop"), (string?)stop[0]!["hooks"]![0]!["command"]);
        Assert.Equal("notify-send done", (string?)stop[1]!["hooks"]![0]!["command"]);
        Assert.False(hooks.ContainsKey("OldEvent"));
    }

    [Fact]
    public void Install_KeepsTheFilesIndentationAndLineEndings()
    {
        var settings = "{\r\n    \"model\": \"opus\"\r\n}";

        var proposed = Propose(HookChange.Install, settings)!;

        Assert.StartsWith("{\r\n    \"model\": \"opus\",\r\n    \"hooks\": {\r\n        \"SessionStart\": [", proposed, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", proposed.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.EndsWith("}", proposed, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_ForGemini_UsesMilliseconds()
    {
        var hooks = JsonNode.Parse(HookSettingsMerge.Propose(AgentKind.Gemini, HookChange.Install, "{}", File)!)!["hooks"]!.AsObject();

        Assert.Equal(AgentHookFiles.GeminiEvents, hooks.Select(pair => pair.Key));
        Assert.Equal(10_000, (int?)hooks["AfterAgent"]![0]!["hooks"]![0]!["timeout"]);
        Assert.StartsWith("{ p=", (string?)hooks["AfterAgent"]![0]!["hooks"]![0]!["command"], StringComparison.Ordinal);
    }

    [Fact]
    public void Uninstall_AfterInstall_GivesBackTheUsersFileExactly()
    {
        var installed = Propose(HookChange.Install, UserSettings)!;

        var removed = Propose(HookChange.Uninstall, installed);

        Assert.Equal(UserSettings, removed);
    }

    [Fact]
    public void Uninstall_TakesPlexusEntryOutOfASharedGroup_AndRemovesOnlyWhatItEmptied()
    {
        var settings = """
            {
              "hooks": {
                "Stop": [
                  {
                    "matcher": "",
                    "hooks": [
                      {
                        "type": "command",
                        "command": "notify-send done"
                      },
                      {
                        "type": "command",
                        "command": "tmux set -p @plexus_hook x"
                      }
                    ]
                  }
                ],
                "SessionEnd": [
                  {
                    "hooks": [
                      {
                        "type": "command",
                        "command": "tmux set -p @plexus_hook y"
                      }
                    ]
                  }
                ],
                "PreCompact": []
              }
            }
            """;

        var hooks = JsonNode.Parse(Propose(HookChange.Uninstall, settings)!)!["hooks"]!.AsObject();

        Assert.Equal(["Stop", "PreCompact"], hooks.Select(pair => pair.Key));
        var entries = hooks["Stop"]![0]!["hooks"]!.AsArray();
        Assert.Equal("notify-send done", (string?)Assert.Single(entries)!["command"]);
    }

    [Fact]
    public void Uninstall_OfAFileOnlyPlexusFilled_LeavesAnEmptyObject()
    {
        var installed = Propose(HookChange.Install, "{\n  \"theme\": \"dark\"\n}\n")!;

        Assert.Equal("{\n  \"theme\": \"dark\"\n}\n", Propose(HookChange.Uninstall, installed));
        Assert.Equal("{}\n", Propose(HookChange.Uninstall, Propose(HookChange.Install, null)));
    }

    [Fact]
    public void Uninstall_WithoutPlexusHooks_ChangesNothing()
    {
        Assert.Same(UserSettings, Propose(HookChange.Uninstall, UserSettings));
    }

    [Fact]
    public void MissingFile_InstallProposesOnlyPlexusHooks_UninstallProposesNoFile()
    {
        var proposed = Propose(HookChange.Install, null)!;

        Assert.Equal(AgentHookFiles.ClaudeSettings(), proposed);
        Assert.Null(Propose(HookChange.Uninstall, null));
    }

    [Theory]
    [InlineData("{\n  // my settings\n  \"model\": \"opus\"\n}", "comments")]
    [InlineData("{\n  \"model\": \"opus\",\n}", "trailing commas")]
    [InlineData("{\n  \"model\": \"opus\"", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"hooks\": []}", "\"hooks\" is not an object")]
    [InlineData("{\"hooks\": {\"Stop\": {}}}", "\"hooks.Stop\" is not a list")]
    [InlineData("{\"model\": \"a\", \"model\": \"b\"}", "a key twice")]
    public void Refuses_AFileItCannotReadForSure(string settings, string why)
    {
        var error = Assert.Throws<PlexusException>(() => Propose(HookChange.Install, settings));

        Assert.Equal(ErrorCodes.SettingsNotEditable, error.Code);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Contains(File, error.Message, StringComparison.Ordinal);
    }

    private static string? Propose(HookChange change, string? current) =>
        HookSettingsMerge.Propose(AgentKind.Claude, change, current, File);
}
