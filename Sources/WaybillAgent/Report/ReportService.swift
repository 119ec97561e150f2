import Foundation
import Logging
import ServiceLifecycle

/// Queues the shift report when its period ends and sends what the report outbox holds, retrying
/// as the outbox says. Wakes when something is due (the period's end, a retry's time), when woken,
/// and at least every `backstop`; stops at once on graceful shutdown.
struct ReportService: Service, CustomStringConvertible {
    let reports: ShiftReports
    /// Woken by `waybill report send --now` (through the control socket) when it left a report to retry.
    let wake: WakeSignal
    /// `waybill_report_queued` and `waybill_report_dead_letters`.
    let metrics: AgentMetrics
    let backstop: Duration

    var description: String { "ReportService" }

    func run() async {
        let logger = reports.logger
        await untilShutdownOnBlockingLane {
            reports.releaseAbandoned()
            while !Task.isCancelled {
                do {
                    try reports.queueDue(now: Date())
                } catch {
                    logger.error("Shift report not composed", metadata: ["error": "\(error)"])
                }
                _ = await reports.sendDue()
                if let outbox = try? reports.store.reportOutboxSummary() {
                    metrics.recordReports(queued: outbox.queued, dead: outbox.dead)
                }
                await wake.wait(upTo: nextWake())
            }
        }
    }

    /// Until the next period ends or the next retry is due, at most `backstop`.
    private func nextWake() -> Duration {
        let now = Date()
        let settings = reports.settings
        let running = settings.schedule.currentPeriod(at: now, calendar: settings.calendar)
        var next = running.end
        if let retry = try? reports.store.nextReportAttempt() { next = min(next, retry) }
        let wait = max(0.2, next.timeIntervalSince(now) + 0.1)
        return min(backstop, .milliseconds(Int64(wait * 1000)))
    }
}
