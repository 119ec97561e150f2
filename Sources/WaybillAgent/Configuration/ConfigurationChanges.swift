import Logging

/// What differs between the running configuration and a reloaded one: the values the agent applies
/// at once, and the keys that only take effect after a restart.
struct ConfigurationChanges: Sendable, Equatable {
    /// One changed value, rendered for the log.
    struct Change: Sendable, Equatable, CustomStringConvertible {
        let key: String
        let from: String
        let to: String

        var description: String { "\(key) \(from) -> \(to)" }
    }

    /// Changes applied while the agent runs: `sync.poll_interval`, `printers.*`, `log.level`.
    let applied: [Change]
    /// Keys whose new value waits for a restart.
    let needRestart: [String]

    var isEmpty: Bool { applied.isEmpty && needRestart.isEmpty }

    init(from old: StationConfiguration, to new: StationConfiguration) {
        func text(_ value: (some Any)?) -> String { value.map { "\($0)" } ?? "unset" }
        var applied: [Change] = []
        func compare<T: Equatable>(_ key: ConfigurationKey, _ path: KeyPath<StationConfiguration, T>, render: (T) -> String) {
            if old[keyPath: path] != new[keyPath: path] {
                applied.append(Change(key: key.name, from: render(old[keyPath: path]), to: render(new[keyPath: path])))
            }
        }
        compare(.pollInterval, \.pollInterval) { "\(Int(($0 / .milliseconds(1)).rounded()))ms" }
        compare(.labelPrinter, \.labelPrinter) { text($0) }
        compare(.documentPrinter, \.documentPrinter) { text($0) }
        compare(.logLevel, \.logLevel) { $0.rawValue }
        self.applied = applied

        let restart: [(ConfigurationKey, Bool)] = [
            (.stationID, old.stationID != new.stationID), (.centralURL, old.centralURL != new.centralURL),
            (.centralSecretFile, old.secretFile != new.secretFile), (.centralCAFile, old.caFile != new.caFile),
            (.centralProxy, old.proxy != new.proxy), (.centralVerifyTLS, old.verifyTLS != new.verifyTLS),
            (.storePath, old.storePath != new.storePath), (.spoolPath, old.spoolPath != new.spoolPath),
            (.cupsServer, old.cupsServer != new.cupsServer), (.httpListen, old.httpListen != new.httpListen),
            (.retryBase, old.retryBase != new.retryBase), (.retryCap, old.retryCap != new.retryCap),
            (.requestTimeout, old.requestTimeout != new.requestTimeout),
        ]
        needRestart = restart.filter(\.1).map(\.0.name)
    }
}
