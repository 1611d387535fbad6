using System.Runtime.InteropServices;

namespace Plexus.Host;

/// <summary>
/// Every libc call the host makes, in one place. <c>LibraryImport</c> generates the marshalling at compile time;
/// these signatures are plain ints, so the generated code is a direct call.
/// </summary>
internal static partial class Interop
{
    /// <summary>getppid(2): the parent's process id; it changes when the parent dies and the host is re-parented.</summary>
    [LibraryImport("libc", EntryPoint = "getppid")]
    internal static partial int GetParentProcessId();

    /// <summary>getuid(2): the real user id, as tmux uses it in its socket directory (<c>tmux-UID</c>).</summary>
    [LibraryImport("libc", EntryPoint = "getuid")]
    internal static partial uint GetUserId();

    /// <summary>kill(2): sends <paramref name="signal"/> to <paramref name="pid"/>; -1 with errno on failure.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    /// <summary>syscall(2), for pidfd_open, which glibc 2.36 wraps but older ones do not.</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll([In, Out] PollFd[] fds, ulong count, int timeout);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, ref long value, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, ref long value, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    internal const int AtCurrentDirectory = -100;
    internal const int AtSymlinkNoFollow = 0x100;
    internal const uint StatxMode = 0x2;
    internal const uint StatxUserId = 0x8;

    /// <summary>statx(2): a file's owner and mode; its struct has one layout on every architecture, unlike stat's.</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int FileStatus(int directoryFd, string path, int flags, uint mask, out StatxBuffer status);

    /// <summary>realpath(3) with a buffer it allocates (free it with <see cref="NativeMemory.Free"/>); 0 on failure.</summary>
    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint RealPath(string path, nint resolved);

    /// <summary>The head of struct statx (the kernel writes 256 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    internal struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint LinkCount;
        public uint UserId;
        public uint GroupId;
        public ushort Mode;
    }

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
