import Foundation
import WaybillTestSupport

/// A station set-up in a temporary folder: a valid configuration file, a secrets file, and paths.
struct ConfigFixture {
    let folder: TemporaryDirectory
    var configPath: String { folder.file("waybill.yaml") }
    var secretPath: String { folder.file("station.secret") }

    /// The repository root, found from this source file.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    init(extra: String = "", secretMode: Int = 0o600, centralURL: String = "http://127.0.0.1:8700") throws {
        folder = try TemporaryDirectory()
        try write(
            """
            station:
              id: station-7
            central:
              url: \(centralURL)
              secret_file: \(folder.file("station.secret"))
            store:
              path: \(folder.file("db/waybill.sqlite"))
            spool:
              path: \(folder.file("spool"))
            http:
              listen: off
            \(extra)
            """
        )
        _ = FileManager.default.createFile(atPath: secretPath, contents: Data("s3cret\n".utf8))
        try FileManager.default.setAttributes([.posixPermissions: secretMode], ofItemAtPath: secretPath)
    }

    func write(_ text: String) throws {
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }
}
