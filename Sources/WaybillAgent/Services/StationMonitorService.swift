import Logging
import ServiceLifecycle
import WaybillStore

/// Reads the store's status at every poll interval and logs it at debug level; warns when it cannot.
///
/// Stops at once on graceful shutdown: the sleep is cancelled, not waited out.
struct StationMonitorService: Service, CustomStringConvertible {
    let store: WaybillStore
    let interval: Duration
    let logger: Logger

    var description: String { "StationMonitorService" }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    report()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    private func report() {
        do {
            let status = try store.status()
            logger.debug(
                "Station status",
                metadata: [
                    "outbox.depth": "\(status.outboxDepth)",
                    "outbox.dead": "\(status.deadLetters)",
                    "conflicts.open": "\(status.conflictsOpen)",
                ]
            )
        } catch {
            logger.warning("Cannot read the station status", metadata: ["error": "\(error)"])
        }
    }
}
