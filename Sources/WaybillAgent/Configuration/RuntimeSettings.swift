import Logging
import Synchronization
import WaybillStore

/// The configuration values the agent reads while it runs, so a reload (SIGHUP) changes them
/// without a restart: `sync.poll_interval`, `printers.label`, `printers.document`. (`log.level`
/// lives in ``AgentLogHandler``, shared by every logger.)
final class RuntimeSettings: Sendable {
    private struct Values {
        var pollInterval: Duration
        var labelPrinter: String?
        var documentPrinter: String?
    }

    private let values: Mutex<Values>

    init(_ configuration: StationConfiguration) {
        values = Mutex(
            Values(pollInterval: configuration.pollInterval, labelPrinter: configuration.labelPrinter, documentPrinter: configuration.documentPrinter)
        )
    }

    /// How often the sync loop polls the feed.
    var pollInterval: Duration { values.withLock { $0.pollInterval } }
    /// The CUPS queue for labels; the print pipeline reads it before each job.
    var labelPrinter: String? { values.withLock { $0.labelPrinter } }
    /// The CUPS queue for documents; the print pipeline reads it before each job.
    var documentPrinter: String? { values.withLock { $0.documentPrinter } }

    /// Records in `store` which document printer this agent prints packing slips on (none: no
    /// slips), for `waybill ship` to count slips as the agent does.
    func recordDocumentPrinter(in store: WaybillStore, logger: Logger) {
        do {
            try store.recordSyncState([.documentPrinter: documentPrinter ?? ""])
        } catch {
            logger.warning(
                "Cannot record the document printer for waybill ship; it reads the configuration file instead",
                metadata: ["reason": "\(error)"]
            )
        }
    }

    /// Takes the run-time values of a reloaded configuration (and its log level).
    func apply(_ configuration: StationConfiguration) {
        values.withLock {
            $0 = Values(
                pollInterval: configuration.pollInterval,
                labelPrinter: configuration.labelPrinter,
                documentPrinter: configuration.documentPrinter
            )
        }
        AgentLogHandler.level = configuration.logLevel
    }
}
