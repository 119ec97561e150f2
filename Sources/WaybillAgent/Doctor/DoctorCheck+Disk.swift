import Foundation

extension DoctorCheck {
    /// Below this much free space (or 5 % of the file system) labels may no longer fit.
    static let minimumFreeBytes: UInt64 = 100 << 20

    /// Free space on the file system holding `path` (or the nearest folder above it that exists).
    static func diskFree(_ path: String, name: String) -> DoctorCheck {
        var target = URL(fileURLWithPath: path)
        while !FileManager.default.fileExists(atPath: target.path), target.path != "/" {
            target.deleteLastPathComponent()
        }
        var info = statvfs()
        guard statvfs(target.path, &info) == 0 else {
            return DoctorCheck(name: name, ok: false, detail: "cannot read the free space of \(target.path): \(String(cString: strerror(errno)))")
        }
        let free = UInt64(info.f_bavail) * UInt64(info.f_frsize)
        let total = UInt64(info.f_blocks) * UInt64(info.f_frsize)
        let percent = total == 0 ? 100 : Int(free * 100 / total)
        let text = "\(free >> 20) MiB free (\(percent) %) on the file system of \(target.path)"
        let ok = free >= minimumFreeBytes && percent >= 5
        return DoctorCheck(name: name, ok: ok, detail: ok ? text : text + "; free space or move spool.path to a larger disk")
    }
}
