namespace Plexus.Host.Agents;

/// <summary>
/// Gemini CLI (0.61.0) reads a system settings file only when the file and every folder above it, links and their
/// targets alike, belong to root and are writable by nobody else; otherwise it skips the file and prints a security
/// warning in every session. Plexus writes its hook layer as the user, so for anyone but root Gemini would skip it.
/// </summary>
internal static class GeminiFileTrust
{
    private const uint WritableByGroupOrOthers = 0b000_010_010;
    private const uint FileTypeMask = 0xF000;
    private const uint SymbolicLink = 0xA000;

    /// <summary>Whether Gemini CLI would read <paramref name="file"/> as a system settings layer.</summary>
    public static bool Trusts(string file)
    {
        // statx is Linux's; elsewhere Plexus does not vouch for the layer, and Gemini runs without Plexus's hooks
        // (its status read from the screen) rather than with a security warning.
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var path = Path.GetFullPath(file);
        var resolved = Interop.RealPath(path, 0);
        if (resolved == 0)
        {
            return false;
        }

        string canonical;
        unsafe
        {
            canonical = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(resolved)!;
            System.Runtime.InteropServices.NativeMemory.Free((void*)resolved);
        }

        return SelfAndAncestors(path).Concat(SelfAndAncestors(canonical)).All(RootOwnedAndClosed);
    }

    private static IEnumerable<string> SelfAndAncestors(string path)
    {
        for (var current = path; current is not null; current = Path.GetDirectoryName(current))
        {
            yield return current;
        }
    }

    private static bool RootOwnedAndClosed(string path)
    {
        if (Interop.FileStatus(Interop.AtCurrentDirectory, path, Interop.AtSymlinkNoFollow, Interop.StatxMode | Interop.StatxUserId, out var link) != 0)
        {
            return false;
        }

        if ((link.Mode & FileTypeMask) == SymbolicLink && link.UserId != 0)
        {
            return false;
        }

        return Interop.FileStatus(Interop.AtCurrentDirectory, path, 0, Interop.StatxMode | Interop.StatxUserId, out var target) == 0
            && target.UserId == 0
            && (target.Mode & WritableByGroupOrOthers) == 0;
    }
}
