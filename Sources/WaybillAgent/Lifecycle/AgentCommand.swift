import ArgumentParser
import Logging
import ServiceLifecycle
import UnixSignals
import WaybillStore

extension WaybillCommand {
    /// `waybill agent`: runs the station agent in the foreground until SIGTERM or SIGINT.
    struct Agent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the station agent in the foreground (systemd runs it this way)."
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let configuration = try await global.loadConfiguration()
            let logger = global.logger("waybill.agent", configuration: configuration)
            let hasSecret = try checkSecretFile(configuration, logger: logger)
            let store = try WaybillStore.open(atPath: configuration.storePath)
            guard let lock = try StationLock.acquire(storePath: configuration.storePath) else {
                throw ValidationError("another agent already runs for \(configuration.storePath); stop it first (systemctl stop waybill)")
            }
            let identity = try store.identity(for: configuration.stationID)
            let notifier = SystemdNotifier()
            let engine = hasSecret ? try SyncComposition.engine(configuration: configuration, store: store, logger: logger) : nil
            let services = AgentServices(configuration: configuration, store: store, logger: logger, engine: engine, notifier: notifier)
            let readiness = ReadinessService(
                logger: logger,
                metadata: [
                    "station.id": "\(identity.stationID)",
                    "station.epoch": "\(identity.epoch)",
                    "store.path": "\(configuration.storePath)",
                    "config.file": "\(configuration.sourceFile)",
                    "http.listen": "\(configuration.httpListen ?? "off")",
                    "version": "\(WaybillVersion.current)",
                ],
                notifier: notifier,
                heartbeatStore: engine == nil ? store : nil,
                serving: services.serving
            )
            if let engine, try store.quickCheck() != ["ok"] {
                // A damaged replica is rebuilt from the center, keeping unconfirmed work (recover mode).
                logger.error("Database check failed; resetting the replica (recover mode)", metadata: ["store.path": "\(configuration.storePath)"])
                let started = ContinuousClock.now
                _ = try await engine.resetReplica(mode: .recover)
                services.metrics.recordResync(duration: .now - started)
            }
            let reloadSignals = await UnixSignalsSequence(trapping: .sighup)
            let (configPath, levelOverride) = (global.config, global.logLevel.flatMap { Logger.Level(rawValue: $0.lowercased()) })
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: (try services.all(reloadSignals: reloadSignals) {
                        var reloaded = try await ConfigurationLoader(explicitPath: configPath).load()
                        reloaded.logLevel = levelOverride ?? reloaded.logLevel
                        return reloaded
                    }) + [readiness],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await group.run()
            withExtendedLifetime(lock) {}
            logger.info("Agent stopped")
        }

        /// Refuses a secrets file that group or others can read; only warns when it does not exist yet.
        /// Returns whether the secret is there.
        private func checkSecretFile(_ configuration: StationConfiguration, logger: Logger) throws -> Bool {
            do {
                try SecretFile.check(path: configuration.secretFile)
                return true
            } catch {
                guard error.code == .missingSecretFile else { throw error }
                logger.warning(
                    "No station secret yet; sync stays off until it exists",
                    metadata: ["config.key": "\(configuration.secretKey)", "file.path": "\(configuration.secretFile)"]
                )
                return false
            }
        }
    }
}
