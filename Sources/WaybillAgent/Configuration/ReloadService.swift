import Logging
import ServiceLifecycle
import UnixSignals
import WaybillStore

/// Reloads the configuration on SIGHUP (`systemctl reload waybill`): applies the values that can
/// change at run time (``RuntimeSettings``, the log level), logs what changed, and names the keys
/// that need a restart. A file that no longer loads is logged and the running configuration kept.
struct ReloadService: Service, CustomStringConvertible {
    /// SIGHUP, trapped before the group starts so an early signal cannot kill the agent.
    let signals: UnixSignalsSequence
    let initial: StationConfiguration
    let load: @Sendable () async throws -> StationConfiguration
    let settings: RuntimeSettings
    /// Where the document printer in use is recorded (for `waybill ship`).
    let store: WaybillStore
    /// Woken after a reload so a new poll interval applies at once.
    let wake: WakeSignal
    let logger: Logger

    var description: String { "ReloadService" }

    func run() async {
        var current = initial
        for await _ in signals.cancelOnGracefulShutdown() {
            do {
                let next = try await load()
                let changes = ConfigurationChanges(from: current, to: next)
                let needRestart = ConfigurationChanges(from: initial, to: next).needRestart
                settings.apply(next)
                settings.recordDocumentPrinter(in: store, logger: logger)
                current = next
                wake.wake()
                logger.notice(
                    "Configuration reloaded",
                    metadata: [
                        "config.file": "\(next.sourceFile)",
                        "config.changed": "\(changes.applied.isEmpty ? "nothing" : changes.applied.map(\.description).joined(separator: ", "))",
                    ]
                )
                if !needRestart.isEmpty {
                    logger.warning(
                        "Some changed keys take effect after a restart",
                        metadata: ["config.restart_needed": "\(needRestart.joined(separator: ", "))"]
                    )
                }
            } catch {
                logger.error("Configuration reload failed; the running configuration stays", metadata: ["error": "\(error)"])
            }
        }
    }
}
