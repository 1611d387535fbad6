using Plexus.Host.Protocol;
using Plexus.Host.Sessions;

namespace Plexus.Host.Tests.Sessions;

public sealed class SessionRecordsTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"plexus-records-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private SessionRecords Store() => new(directory, "/tmp/tmux-1000/default");

    private static SessionRecord Record(string name) => new(name, string.Empty, "/home/me", 100, "sleep 1");

    [Fact]
    public void Remember_ThenReadFromAnotherInstance_GivesTheSameRecords()
    {
        Store().Remember(Record("a") with { Env = new Dictionary<string, string> { ["X"] = "1" } });
        Store().Remember(Record("b"));

        var read = Store().Read();

        Assert.Equal(["a", "b"], read.Select(record => record.Name));
        Assert.Equal("1", read[0].Env!["X"]);
        Assert.Equal("/tmp/tmux-1000/default", read[0].SocketPath);
    }

    [Fact]
    public void Forget_RemovesOnlyThatRecord()
    {
        var store = Store();
        store.Remember(Record("a"));
        store.Remember(Record("b"));

        Assert.True(store.Forget("a"));
        Assert.False(store.Forget("a"));
        Assert.Equal(["b"], Store().Read().Select(record => record.Name));
    }

    [Fact]
    public void ACorruptFile_IsSetAside_AndANewListStarts()
    {
        var store = Store();
        Directory.CreateDirectory(directory);
        File.WriteAllText(store.FilePath, "{\"version\":1,\"sessions\":[{\"name\":");

        store.Remember(Record("new"));

        var aside = Assert.Single(Directory.GetFiles(directory, "*.corrupt-*"));
        Assert.Equal("{\"version\":1,\"sessions\":[{\"name\":", File.ReadAllText(aside));
        Assert.Equal(["new"], Store().Read().Select(record => record.Name));
    }

    [Fact]
    public async Task ManyWritersAtOnce_LoseNothing()
    {
        var writers = Enumerable.Range(0, 8).Select(writer => Task.Run(() =>
        {
            var store = Store();
            for (var i = 0; i < 20; i++)
            {
                store.Remember(Record($"w{writer}-{i}"));
            }
        }));

        await Task.WhenAll(writers);

        Assert.Equal(160, Store().Read().Count);
        Assert.Empty(Directory.GetFiles(directory, "*.tmp-*"));
    }

    [Theory]
    [InlineData("/tmp/tmux-1000/default", "%2Ftmp%2Ftmux-1000%2Fdefault.json")]
    [InlineData("/tmp/a b/é", "%2Ftmp%2Fa%20b%2F%C3%A9.json")]
    [InlineData("..", "%2E..json")]
    public void FileName_EncodesTheSocketPath(string socket, string expected) =>
        Assert.Equal(expected, SessionRecords.FileNameFor(socket));
}
