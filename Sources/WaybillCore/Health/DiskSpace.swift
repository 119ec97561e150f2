/// Free space on one file system of the station, and how the station judges it.
///
/// One rule for every surface (`waybill doctor`, `waybill status`, `/healthz`): under
/// ``lowFreeBytes`` or ``lowFreePercent`` % free the disk is nearly full (a warning while labels and
/// commits still fit); under ``fullFreeBytes`` it is full (commits and spooled labels fail).
public struct DiskSpace: Sendable, Hashable {
    /// What the station keeps there: `database` or `spool`.
    public let role: String
    /// The folder measured.
    public let path: String
    /// Bytes an unprivileged writer may still use (`f_bavail`).
    public let freeBytes: UInt64
    /// The file system's size.
    public let totalBytes: UInt64

    /// Below this much free space (or ``lowFreePercent`` %) the disk is nearly full.
    public static let lowFreeBytes: UInt64 = 100 << 20
    /// Below this share of the file system free, the disk is nearly full.
    public static let lowFreePercent = 5
    /// Below this much free space the disk is full: a commit of a few pages or a label may not fit.
    public static let fullFreeBytes: UInt64 = 1 << 20

    public init(role: String, path: String, freeBytes: UInt64, totalBytes: UInt64) {
        self.role = role
        self.path = path
        self.freeBytes = freeBytes
        self.totalBytes = totalBytes
    }

    /// How full the file system is.
    public enum Level: Sendable, Hashable {
        case ok, low, full
    }

    /// Free space as a whole percentage of the file system (100 for a file system of no size).
    public var freePercent: Int { totalBytes == 0 ? 100 : Int(freeBytes * 100 / totalBytes) }

    public var level: Level {
        if freeBytes < Self.fullFreeBytes { return .full }
        if freeBytes < Self.lowFreeBytes || freePercent < Self.lowFreePercent { return .low }
        return .ok
    }

    /// "12 MiB free (3 %) of 400 MiB on /var/lib/waybill".
    public var text: String {
        "\(freeBytes >> 20) MiB free (\(freePercent) %) of \(totalBytes >> 20) MiB on \(path)"
    }
}
