import Foundation

/// A seeded `waybill-hub` process and a station configuration (station-1, with its secret) that
/// syncs with it; the agent's local HTTP binds loopback port 0 (unless told a port) and logs the
/// port it got (``AgentProcess/httpBase()``).
public struct SyncedStation {
    public let hub: HubProcess
    public let hubFolder: TemporaryDirectory
    public let folder: TemporaryDirectory
    /// The configured local HTTP port; 0: the agent picks one.
    public let httpPort: Int
    public var configPath: String { folder.file("waybill.yaml") }
    public var storePath: String { folder.file("station.sqlite") }
    public var secretPath: String { hubFolder.file("secrets/station-1.secret") }

    /// Seeds and starts a hub with `orders` orders and `faults` (a `--faults` spec) on.
    public static func start(
        orders: Int = 40,
        faults: String = "",
        extra: String = "",
        httpPort: Int = 0,
        hubArguments: [String] = []
    ) async throws -> SyncedStation {
        let hubFolder = try TemporaryDirectory()
        let hub = try await HubProcess.start(databasePath: hubFolder.file("hub.sqlite"), orders: orders, faults: faults, arguments: hubArguments)
        let folder = try TemporaryDirectory()
        let station = SyncedStation(hub: hub, hubFolder: hubFolder, folder: folder, httpPort: httpPort)
        try station.writeConfig(extra: extra)
        return station
    }

    /// Writes the configuration; `extra` adds or overrides sections (YAML appended at the end).
    public func writeConfig(pollInterval: String = "200ms", logLevel: String = "info", spool: String? = nil, extra: String = "") throws {
        try """
        station:
          id: station-1
        central:
          url: \(hub.base)
          secret_file: \(secretPath)
        store:
          path: \(storePath)
        spool:
          path: \(spool ?? folder.file("spool"))
        http:
          listen: 127.0.0.1:\(httpPort)
        sync:
          poll_interval: \(pollInterval)
          retry_base: 50ms
          retry_cap: 500ms
          request_timeout: 5s
        log:
          level: \(logLevel)
        \(extra)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    public func stop() {
        hub.stop()
    }
}
