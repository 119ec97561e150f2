import WaybillCore

extension DoctorCheck {
    /// Free space on the file system holding `path`, judged by the health model's rule
    /// (``DiskSpace/level``): nearly full or full fails.
    static func diskFree(_ path: String, name: String, role: String = "spool") -> DoctorCheck {
        switch DiskProbe.space(of: path, role: role) {
        case .failure(let error):
            return DoctorCheck(name: name, ok: false, detail: error.description)
        case .success(let disk):
            let ok = disk.level == .ok
            return DoctorCheck(
                name: name,
                ok: ok,
                detail: ok ? disk.text : disk.text + "; free space or move \(role == "spool" ? "spool.path" : "store.path") to a larger disk"
            )
        }
    }
}
