import Foundation
import Metrics
import Prometheus
import Synchronization
public import WaybillCore
import WaybillStore
import WaybillSync

/// The agent's metrics, recorded through swift-metrics into the agent's own Prometheus registry and
/// served at `/metrics` in the Prometheus text format.
///
/// Nothing is bootstrapped globally: every metric is made with this registry's factory, so tests and
/// the agent never share state. Names and labels:
///
/// | metric | type | set by |
/// | --- | --- | --- |
/// | `waybill_outbox_depth`, `waybill_outbox_oldest_pending_age_seconds`, `waybill_outbox_dead_letters` | gauge | the store, at each scrape |
/// | `waybill_pull_lag_changes`, `waybill_last_pull_age_seconds` | gauge | the sync engine's records, at each scrape |
/// | `waybill_conflicts_open` | gauge | the store, at each scrape |
/// | `waybill_sync_cycles_total`, `waybill_sync_failures_total{reason}` | counter | each sync cycle |
/// | `waybill_http_retries_total{status}` | counter | each failed cycle (`status` is the HTTP status, or `transport`) |
/// | `waybill_sync_cycle_duration_seconds`, `waybill_resync_duration_seconds` | histogram | sync cycles; full downloads (first pull, client reset) |
/// | `waybill_print_jobs{state}` | gauge | the store at each scrape, or the print pipeline (``recordPrintJobs(_:)``) |
/// | `waybill_printer_state{printer,state}` | gauge, 1 for the current state | the print service's printer poll (``recordPrinterState(printer:state:)``) |
/// | `waybill_autopilot_rounds_total{outcome}` | counter (`busy`, `idle`, `paused`) | each round of the autonomous mode |
/// | `waybill_auto_mode_paused` | gauge, 1 while `waybill auto pause` holds it | each round of the autonomous mode |
/// | `waybill_health_ok` | gauge, 1 when the station has no problem | each refresh of the health model |
/// | `waybill_health_problems{kind}` | gauge, problems of each kind (every kind listed) | each refresh of the health model |
/// | `waybill_disk_free_bytes{volume}`, `waybill_disk_size_bytes{volume}` | gauge (`database`, `spool`) | each refresh of the health model |
public struct AgentMetrics: Sendable {
    /// The registry `/metrics` renders.
    let registry = PrometheusCollectorRegistry()
    /// Each printer's last reported state, for the status line.
    private let printerStateBox = PrinterStates()
    private var factory: PrometheusMetricsFactory { PrometheusMetricsFactory(registry: registry) }

    /// The printer states the print pipeline reports; each printer has one gauge per state, 1 for its current one.
    public static let printerStates = ["idle", "printing", "stopped", "offline", "unknown"]

    init() {
        // Counters and histograms exist (at zero) before the first cycle, so a scrape always lists them.
        _ = Counter(label: "waybill_sync_cycles_total", factory: factory)
        recordPrintJobs(Dictionary(uniqueKeysWithValues: PrintJobState.allCases.map { ($0, 0) }))
    }

    /// Records one sync cycle: its duration, and on failure its reason and retried HTTP status.
    func recordCycle(_ report: SyncEngine.CycleReport, duration: Duration) {
        Counter(label: "waybill_sync_cycles_total", factory: factory).increment()
        Timer(label: "waybill_sync_cycle_duration_seconds", factory: factory).record(duration: duration)
        guard let error = report.error else { return }
        Counter(label: "waybill_sync_failures_total", dimensions: [("reason", "\(error.code)")], factory: factory).increment()
        if error.code != .authentication, error.code != .schema, error.code != .feedUnreadable {
            let status = error.status.map(String.init) ?? "transport"
            Counter(label: "waybill_http_retries_total", dimensions: [("status", status)], factory: factory).increment()
        }
    }

    /// Records how long a replica reset (resync) took.
    func recordResync(duration: Duration) {
        Timer(label: "waybill_resync_duration_seconds", factory: factory).record(duration: duration)
    }

    /// Sets the gauges that mirror the database: outbox, conflicts, pull lag, print jobs.
    func recordStore(_ status: StoreStatus, syncState: [SyncStateKey: String], now: Date = Date()) {
        gauge("waybill_outbox_depth").set(status.outboxDepth)
        gauge("waybill_outbox_oldest_pending_age_seconds").set(status.oldestPendingAge ?? 0)
        gauge("waybill_outbox_dead_letters").set(status.deadLetters)
        gauge("waybill_conflicts_open").set(status.conflictsOpen)
        if let lag = syncState[.cursorLag].flatMap({ Int($0) }) { gauge("waybill_pull_lag_changes").set(lag) }
        if let pulled = syncState[.lastPullAt].flatMap(Double.init) {
            gauge("waybill_last_pull_age_seconds").set(max(0, now.timeIntervalSince1970 - pulled))
        }
        recordPrintJobs(status.printJobs)
    }

    /// Sets the shift report's gauges: reports waiting to be sent, and refused ones (dead letters).
    func recordReports(queued: Int, dead: Int) {
        gauge("waybill_report_queued").set(queued)
        gauge("waybill_report_dead_letters").set(dead)
    }

    /// Sets `waybill_print_jobs{state}`: how many print jobs are in each state.
    public func recordPrintJobs(_ counts: [PrintJobState: Int]) {
        for (state, count) in counts {
            gauge("waybill_print_jobs", [("state", state.rawValue)]).set(count)
        }
    }

    /// Sets `waybill_printer_state{printer, state}` to 1 for `state` and 0 for the printer's other states.
    ///
    /// - Parameter state: one of ``printerStates``; anything else is recorded as `unknown`.
    public func recordPrinterState(printer: String, state: String) {
        let current = Self.printerStates.contains(state) ? state : "unknown"
        printerStateBox.set(printer, current)
        for candidate in Self.printerStates {
            gauge("waybill_printer_state", [("printer", printer), ("state", candidate)]).set(candidate == current ? 1 : 0)
        }
    }

    /// The last state ``recordPrinterState(printer:state:)`` reported for `printer`, if any.
    func printerState(_ printer: String) -> String? {
        printerStateBox.get(printer)
    }

    /// Records the bench scale's state: `waybill_scale_connected` (0 or 1) and
    /// `waybill_scale_stable_pounds` (the latest stable weight, 0 without one).
    func recordScale(_ status: ScaleStatus) {
        gauge("waybill_scale_connected").set(status.connected ? 1 : 0)
        Gauge(label: "waybill_scale_stable_pounds", factory: factory).record(status.stableWeightLb ?? 0)
    }

    /// Records one round of the autonomous mode: whether it did work, found nothing, or was paused.
    func recordAutopilotRound(busy: Bool, paused: Bool) {
        let outcome = paused ? "paused" : busy ? "busy" : "idle"
        Counter(label: "waybill_autopilot_rounds_total", dimensions: [("outcome", outcome)], factory: factory).increment()
        gauge("waybill_auto_mode_paused").set(paused ? 1 : 0)
    }

    /// Records the health model: `waybill_health_ok`, `waybill_health_problems{kind}` and the free
    /// space of each file system it measured.
    func recordHealth(_ problems: [HealthProblem], disks: [DiskSpace]) {
        gauge("waybill_health_ok").set(problems.isEmpty ? 1 : 0)
        for kind in HealthProblem.Kind.allCases {
            gauge("waybill_health_problems", [("kind", kind.rawValue)]).set(problems.count { $0.kind == kind })
        }
        for disk in disks {
            gauge("waybill_disk_free_bytes", [("volume", disk.role)]).set(Int(clamping: disk.freeBytes))
            gauge("waybill_disk_size_bytes", [("volume", disk.role)]).set(Int(clamping: disk.totalBytes))
        }
    }

    /// The registry in the Prometheus text exposition format.
    func exposition() -> String {
        registry.emitToString()
    }

    private func gauge(_ name: String, _ dimensions: [(String, String)] = []) -> Meter {
        Meter(label: name, dimensions: dimensions, factory: factory)
    }
}

/// The last state of each printer, shared by every copy of ``AgentMetrics``.
private final class PrinterStates: Sendable {
    private let states = Mutex<[String: String]>([:])

    func set(_ printer: String, _ state: String) {
        states.withLock { $0[printer] = state }
    }

    func get(_ printer: String) -> String? {
        states.withLock { $0[printer] }
    }
}
