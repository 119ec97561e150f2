import Foundation
import WaybillCore

/// Reads the free space of the file system that holds a path (`statvfs`), for the health model and
/// `waybill doctor`.
enum DiskProbe {
    /// The file system holding `path`, or the nearest folder above it that exists; nil (with why)
    /// when it cannot be read.
    static func space(of path: String, role: String) -> Result<DiskSpace, DiskProbeError> {
        var target = URL(fileURLWithPath: path)
        while !FileManager.default.fileExists(atPath: target.path), target.path != "/" {
            target.deleteLastPathComponent()
        }
        var info = statvfs()
        guard statvfs(target.path, &info) == 0 else {
            return .failure(DiskProbeError(description: "cannot read the free space of \(target.path): \(String(cString: strerror(errno)))"))
        }
        return .success(
            DiskSpace(
                role: role,
                path: target.path,
                freeBytes: UInt64(info.f_bavail) * UInt64(info.f_frsize),
                totalBytes: UInt64(info.f_blocks) * UInt64(info.f_frsize)
            )
        )
    }
}

/// The free space of a folder's file system could not be read.
struct DiskProbeError: Error, CustomStringConvertible {
    let description: String
}
