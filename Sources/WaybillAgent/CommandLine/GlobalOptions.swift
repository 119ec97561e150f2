public import ArgumentParser
import Logging
import WaybillStore

/// Options every subcommand takes: which configuration, JSON output, log level.
public struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Configuration file (default: $WAYBILL_CONFIG, then ./config/waybill.yaml, then /etc/waybill/waybill.yaml).",
            valueName: "path"
        )
    )
    var config: String?

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    @Option(name: .customLong("log-level"), help: "Override log.level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    public init() {}

    public func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel.lowercased()) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// Loads the configuration by the lookup order, with `--config` first.
    func loadConfiguration() async throws -> StationConfiguration {
        var configuration = try await ConfigurationLoader(explicitPath: config).load()
        if let level = logLevel.flatMap({ Logger.Level(rawValue: $0.lowercased()) }) {
            configuration.logLevel = level
        }
        return configuration
    }

    /// Loads the configuration and opens the station's store (migrating it when needed): what most
    /// commands start with.
    func openStore() async throws -> (StationConfiguration, WaybillStore) {
        let configuration = try await loadConfiguration()
        return (configuration, try WaybillStore.open(atPath: configuration.storePath))
    }

    /// A logger at the configured level.
    func logger(_ label: String, configuration: StationConfiguration) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = configuration.logLevel
        return logger
    }
}
