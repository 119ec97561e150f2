import Logging
public import ServiceLifecycle
import WaybillCore
public import WaybillPrint
import WaybillStore

/// The print spooler as a service: follows print jobs until graceful shutdown, which stops it at
/// once (the spooler's wait is cancelled, not slept out). Labels stay spooled and recorded; the
/// next start reconciles them with CUPS.
///
/// Beside the spooler it keeps the print metrics current: `waybill_print_jobs{state}` after each
/// job change (from `spooler.changes`), and `waybill_printer_state{printer,state}` from a poll of
/// each configured queue every ``printerPollInterval``.
public struct PrintService: Service, CustomStringConvertible {
    public let spooler: PrintSpooler
    let telemetry: Telemetry?

    /// What the service reports to, when it runs inside the agent.
    struct Telemetry: Sendable {
        let store: WaybillStore
        let metrics: AgentMetrics
        /// Takes each printer's fault (or its end) for the health model.
        let health: StationHealth
        let probe: PrinterProbe
        /// The configured queues and their roles (`label`, `document`), read at each poll (a reload may change them).
        let printers: @Sendable () -> [(role: String, name: String)]
        let printerPollInterval: Duration
        /// Called at every change of a job (the autopilot ships an order once its labels printed).
        let jobChanged: @Sendable () -> Void
        let logger: Logger
    }

    public init(spooler: PrintSpooler) {
        self.spooler = spooler
        telemetry = nil
    }

    init(spooler: PrintSpooler, telemetry: Telemetry) {
        self.spooler = spooler
        self.telemetry = telemetry
    }

    public var description: String { "PrintService" }

    public func run() async {
        await untilShutdownOnBlockingLane {
            await withDiscardingTaskGroup { group in
                if let telemetry {
                    group.addTask { await Self.countJobs(spooler.changes, telemetry) }
                    group.addTask { await Self.pollPrinters(telemetry) }
                }
                await spooler.run()
                group.cancelAll()
            }
        }
    }

    /// Sets the job gauges from the store at start and after each job change.
    static func countJobs(_ changes: AsyncStream<PrintJobRecord>, _ telemetry: Telemetry) async {
        telemetry.record()
        for await _ in changes {
            telemetry.record()
            telemetry.jobChanged()
        }
    }

    /// Sets each configured printer's state gauge and its fault in the health model, at once and
    /// then every interval.
    static func pollPrinters(_ telemetry: Telemetry) async {
        while !Task.isCancelled {
            let configured = telemetry.printers()
            telemetry.health.keepPrinters(Set(configured.map(\.name)))
            for (role, name) in configured {
                let outcome = await telemetry.probe.probe(name)
                telemetry.metrics.recordPrinterState(printer: name, state: metricState(outcome))
                telemetry.health.recordPrinter(
                    role: role,
                    name: name,
                    fault: PrintingStatus.printer(role: role, name: name, outcome: outcome).problem
                )
            }
            try? await Task.sleep(for: telemetry.printerPollInterval)
        }
    }

    /// The metric's state word (one of ``AgentMetrics/printerStates``) for a probe's outcome.
    static func metricState(_ outcome: PrinterProbe.Outcome) -> String {
        switch outcome {
        case .status(let status):
            if status.fault?.code == .deviceUnreachable { return "offline" }
            switch status.state {
            case .idle: return status.fault == nil ? "idle" : "stopped"
            case .processing: return "printing"
            case .stopped: return "stopped"
            }
        case .failed: return "unknown"
        case .unreachable: return "offline"
        }
    }
}

extension PrintService.Telemetry {
    func record() {
        do {
            metrics.recordPrintJobs(try store.printJobCounts())
        } catch {
            logger.warning("Print job counts not read; the gauges are set again at the next scrape", metadata: ["error": "\(error)"])
        }
    }
}
