import Foundation

extension BenchHub {
    /// Writes the configuration of an agent process for station-1 of this hub into `folder`
    /// (with the station secret beside it, mode 0600) and returns its path.
    ///
    /// - Parameters:
    ///   - mode: `station.mode` (`manual` or `auto`).
    ///   - listen: `http.listen`, or `off`.
    ///   - pollInterval: `sync.poll_interval`.
    ///   - extra: more YAML lines (the CUPS server and printers).
    func writeAgentConfiguration(folder: String, mode: String = "manual", listen: String, pollInterval: String, extra: String = "") throws
        -> String
    {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let secret = folder + "/station.secret"
        _ = FileManager.default.createFile(atPath: secret, contents: Data(secrets["station-1"]!.utf8), attributes: [.posixPermissions: 0o600])
        let config = folder + "/waybill.yaml"
        try """
        station: {id: station-1, mode: \(mode)}
        central: {url: "\(base)", secret_file: "\(secret)"}
        store: {path: "\(folder)/station.sqlite"}
        spool: {path: "\(folder)/spool"}
        http: {listen: "\(listen)"}
        sync: {poll_interval: \(pollInterval)}
        log: {level: warning}
        \(extra)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    /// The `waybill` binary a bench runs: `path` when given, else the one beside `waybill-bench`.
    static func waybillBinary(_ path: String?) -> String {
        path ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("waybill").path
    }
}
