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
            Self.yaml(
                station: "station-7",
                centralURL: centralURL,
                secretFile: folder.file("station.secret"),
                storePath: folder.file("db/waybill.sqlite"),
                folder: folder,
                extra: extra
            )
        )
        _ = FileManager.default.createFile(atPath: secretPath, contents: Data("s3cret\n".utf8))
        try FileManager.default.setAttributes([.posixPermissions: secretMode], ofItemAtPath: secretPath)
    }

    func write(_ text: String) throws {
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Station-1's configuration against `hub`, written to `waybill.yaml` in a new temporary folder:
    /// the secret is the one the hub seeded in `hubFolder`, the store is `station.sqlite` and the spool
    /// `spool` in the new folder, the local HTTP server is off, and `extra` (more top-level YAML, such
    /// as a `sync:` block) comes last. Keep `folder` alive while the station runs.
    static func stationConfig(
        hub: HubProcess,
        hubFolder: TemporaryDirectory,
        extra: String = ""
    ) throws -> (folder: TemporaryDirectory, configPath: String, storePath: String) {
        let folder = try TemporaryDirectory()
        let configPath = folder.file("waybill.yaml")
        let storePath = folder.file("station.sqlite")
        try yaml(
            station: "station-1",
            centralURL: hub.base,
            secretFile: hubFolder.file("secrets/station-1.secret"),
            storePath: storePath,
            folder: folder,
            extra: extra
        ).write(toFile: configPath, atomically: true, encoding: .utf8)
        return (folder, configPath, storePath)
    }

    /// A configuration for `station` against `centralURL`, its spool in `folder` and the local HTTP
    /// server off, with `extra` (more top-level YAML) at the end.
    private static func yaml(
        station: String,
        centralURL: String,
        secretFile: String,
        storePath: String,
        folder: TemporaryDirectory,
        extra: String
    ) -> String {
        """
        station:
          id: \(station)
        central:
          url: \(centralURL)
          secret_file: \(secretFile)
        store:
          path: \(storePath)
        spool:
          path: \(folder.file("spool"))
        http:
          listen: off
        \(extra)
        """
    }
}
