import Foundation

/// A fresh folder under the system's temporary directory, removed when the value is released
/// (kept when `WAYBILL_KEEP_TEST_FOLDERS=1`, to read a failed run's databases and logs).
public final class TemporaryDirectory {
    /// The folder's absolute path.
    public let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "waybill-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    deinit {
        guard ProcessInfo.processInfo.environment["WAYBILL_KEEP_TEST_FOLDERS"] != "1" else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
