import Foundation

/// A small file system of the test's own: a tmpfs mounted on a folder (as root), that a test fills
/// up and frees again, then unmounts when released. Where mounting is not allowed (no root, a
/// container without `CAP_SYS_ADMIN`), ``mountingAllowed`` is false and the tests that need one are
/// skipped with that reason.
public final class SmallFileSystem {
    /// The mount point.
    public let path: String
    private var fillers: [String] = []
    private var mounted = true

    /// Whether this process may mount a tmpfs (tried once, on a folder of its own).
    public static let mountingAllowed: Bool = {
        guard let probe = try? TemporaryDirectory() else { return false }
        guard mount("tmpfs", probe.path, "tmpfs", 0, "size=1m") == 0 else { return false }
        umount2(probe.path, Int32(MNT_DETACH))
        return true
    }()

    /// Mounts a tmpfs of `megabytes` on `path` (an existing, empty or expendable folder: what it
    /// holds is hidden until the unmount).
    public init(at path: String, megabytes: Int) throws {
        self.path = path
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(megabytes)m,mode=0755") == 0 else {
            throw SmallFileSystemError(description: "cannot mount a tmpfs on \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Bytes still free for writers.
    public var freeBytes: UInt64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// Takes space with files of allocated blocks until only about `leaving` bytes (give or take a
    /// page) are free; what others write meanwhile is taken into account (a request that no
    /// longer fits is made smaller and the rest taken by the next file).
    public func fill(leaving: UInt64) throws {
        var chunk = freeBytes > leaving ? freeBytes - leaving : 0
        while freeBytes > leaving, chunk >= 4096 {
            chunk = min(chunk, freeBytes - leaving)
            let filler = path + "/filler-\(fillers.count)"
            let descriptor = open(filler, O_CREAT | O_WRONLY, 0o600)
            guard descriptor >= 0 else { throw SmallFileSystemError(description: "cannot create \(filler)") }
            fillers.append(filler)
            let status = posix_fallocate(descriptor, 0, off_t(chunk))
            close(descriptor)
            guard status == 0 || status == ENOSPC else {
                throw SmallFileSystemError(description: "cannot allocate \(chunk) bytes: \(String(cString: strerror(status)))")
            }
            if status == ENOSPC { chunk /= 2 }
        }
    }

    /// Removes every filler: the space is free again.
    public func freeAll() {
        for filler in fillers { unlink(filler) }
        fillers = []
    }

    /// Unmounts it (what it held is gone); once is enough, later calls do nothing.
    public func unmount() {
        guard mounted else { return }
        mounted = false
        umount2(path, Int32(MNT_DETACH))
    }

    deinit { unmount() }
}

/// A small file system could not be set up.
public struct SmallFileSystemError: Error, CustomStringConvertible {
    public let description: String
}
