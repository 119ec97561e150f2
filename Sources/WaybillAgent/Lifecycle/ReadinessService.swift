import Logging
import ServiceLifecycle
import WaybillStore

/// Announces that the agent is up, once its `ServiceGroup` is running and traps SIGTERM and SIGINT,
/// and that it stops, once graceful shutdown begins.
///
/// The "Agent started" line is the agent's readiness signal: anything that waits for it (tests,
/// scripts) may stop the agent from then on and get a clean exit; systemd gets `READY=1` at the same
/// moment and `STOPPING=1` when shutdown begins. When the agent has no sync loop (no station secret
/// yet), this service's own loop reads the store and feeds systemd's watchdog instead. (The status
/// line comes from ``HealthService``.)
struct ReadinessService: Service, CustomStringConvertible {
    let logger: Logger
    let metadata: Logger.Metadata
    let notifier: SystemdNotifier
    /// The store to read before feeding the watchdog, when this service does; `nil` when the sync loop does.
    let heartbeatStore: WaybillStore?
    /// Waits until the agent serves (the local HTTP server listens); returns at once when nothing needs waiting for.
    var serving: @Sendable () async -> Void = {}

    var description: String { "ReadinessService" }

    func run() async throws {
        await serving()
        logger.info("Agent started", metadata: metadata)
        notifier.ready(status: "started")
        if let heartbeatStore, let interval = notifier.watchdogInterval {
            await untilShutdownOnBlockingLane {
                while !Task.isCancelled {
                    if (try? heartbeatStore.status()) != nil { notifier.watchdog() }
                    try? await Task.sleep(for: interval)
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        notifier.stopping()
    }
}
