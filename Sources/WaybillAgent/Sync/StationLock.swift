import Foundation

/// An exclusive lock on the station's database, held by the running agent (or by a command that
/// syncs in-process), so two processes never sync one station at once.
final class StationLock {
    let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock beside `storePath`, or returns nil when another process holds it.
    static func acquire(storePath: String) throws -> StationLock? {
        let path = storePath + ".lock"
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
            withIntermediateDirectories: true
        )
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw StationLockError(message: "cannot open the station lock \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return StationLock(path: path, descriptor: descriptor)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

struct StationLockError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
