import Logging
import ServiceLifecycle

/// Announces that the agent is up, once its `ServiceGroup` is running and traps SIGTERM and SIGINT.
///
/// The "Agent started" line is the agent's readiness signal: anything that waits for it (tests,
/// scripts, later systemd's READY=1) may stop the agent from then on and get a clean exit.
struct ReadinessService: Service, CustomStringConvertible {
    let logger: Logger
    let metadata: Logger.Metadata

    var description: String { "ReadinessService" }

    func run() async throws {
        logger.info("Agent started", metadata: metadata)
        try? await gracefulShutdown()
    }
}
