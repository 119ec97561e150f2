import Foundation
import Logging
import WaybillCore
import WaybillHTTP
import WaybillStore

/// Composes the station's shift reports into the report outbox and sends what waits there: the
/// work of the agent's ``ReportService`` and of `waybill report send --now`.
///
/// A report is composed once per period and kept as the exact message, written in one transaction
/// that also marks the period as reported; it is then sent, retried with backoff while the server
/// answers 4xx or cannot be reached, and set aside as a dead letter on a 5xx. A crash between the
/// server's acceptance and the record of it sends the same message (same Message-ID) once more.
struct ShiftReports: Sendable {
    let settings: ReportSettings
    let store: WaybillStore
    let stationID: String
    let logger: Logger

    /// What one pass did.
    struct Pass: Sendable, Equatable {
        var composed: [String] = []
        var sent: [String] = []
        var failed: [String] = []
    }

    /// The report of `period` as it stands at `now`, and its message.
    func compose(_ period: ShiftPeriod, now: Date) throws -> (ShiftReport, ShiftReportMessage) {
        let report = try store.shiftReport(stationID: stationID, period: period, now: now)
        let message = ShiftReportMessage(report, from: settings.from, to: settings.to, date: now, timeZone: settings.timeZone)
        return (report, message)
    }

    /// The most periods looked back for reports never queued (a station switched off over a long
    /// weekend, every period of it).
    static let periodsLookedBack = 30

    /// Queues the report of every period that ended by `now` and has none yet: the last one, and
    /// those before it back to the newest already queued (a station switched off at a period's
    /// end catches up when it starts again), never one that ended before the station existed, at
    /// most ``periodsLookedBack``. Returns the keys queued, oldest first.
    @discardableResult
    func queueDue(now: Date) throws -> [String] {
        let created = try store.createdAt()
        var missing: [ShiftPeriod] = []
        var period = settings.schedule.lastPeriod(endingBy: now, calendar: settings.calendar)
        while missing.count < Self.periodsLookedBack, created.map({ period.end > $0 }) ?? true, try !store.hasReport(for: period) {
            missing.append(period)
            period = settings.schedule.lastPeriod(endingBy: period.start, calendar: settings.calendar)
        }
        var queued: [String] = []
        for period in missing.reversed() {
            if try queue(period, now: now) { queued.append(period.key) }
        }
        return queued
    }

    /// Queues a report of the running period up to `now` (`waybill report send --now`).
    func queueSoFar(now: Date) throws -> String {
        let running = settings.schedule.currentPeriod(at: now, calendar: settings.calendar)
        let period = ShiftPeriod(start: running.start, end: now)
        try queue(period, now: now)
        return period.key
    }

    @discardableResult
    private func queue(_ period: ShiftPeriod, now: Date) throws -> Bool {
        let (_, message) = try compose(period, now: now)
        let queued = try store.queueReport(period: period, message: message, sender: settings.from, recipients: settings.to, now: now)
        if queued { logger.info("Shift report queued", metadata: ["report.period": "\(period.key)"]) }
        return queued
    }

    /// Queues the refused reports (dead letters) again, each composed afresh with today's settings
    /// (a fixed address, a fixed sender) under its own period and Message-ID.
    func requeueDead(now: Date) throws {
        for dead in try store.reports().filter({ $0.state == "dead" }) {
            let (_, message) = try compose(dead.period, now: now)
            try store.requeueReport(dead.periodKey, message: message, sender: settings.from, recipients: settings.to, now: now)
        }
    }

    /// Makes due at once the reports a process that died was sending (a crash mid-send).
    func releaseAbandoned() {
        try? store.releaseAbandonedReports { pid in kill(pid, 0) == 0 || errno == EPERM }
    }

    /// Sends every report that is due, one at a time; each failure is recorded with its next try.
    func sendDue(now: @Sendable () -> Date = Date.init) async -> Pass {
        var pass = Pass()
        let mailer: SMTPMailer?
        let unusable: String?
        do {
            mailer = SMTPMailer(settings: try settings.smtp())
            unusable = nil
        } catch {
            // The password file is missing or open to others: each due report says so and waits,
            // as for a server that cannot be reached (`waybill status` shows the reason).
            (mailer, unusable) = (nil, "\(error)")
        }
        while let report = try? store.claimNextReport(now: now(), claimer: getpid()) {
            do {
                guard let mailer else { throw SMTPError(.invalid, reply: 0, unusable ?? "the SMTP settings cannot be used") }
                try await mailer.send(report.message, from: report.sender, to: report.recipients)
                try recordSent(report.periodKey, now: now())
                pass.sent.append(report.periodKey)
                logger.info("Shift report sent", metadata: ["report.period": "\(report.periodKey)", "report.message_id": "\(report.messageID)"])
            } catch let error as SMTPError {
                // Settings that cannot be used are retried like a server that cannot be reached:
                // fixing them needs no one to send the report again.
                let permanent = !error.isRetryable && mailer != nil
                let wait = RetryPolicy(base: settings.retryBase, cap: .seconds(3600)).ceiling(afterFailures: report.attempts)
                try? store.markReportFailed(
                    report.periodKey,
                    error: error.description,
                    permanent: permanent,
                    retryAt: now().addingTimeInterval(wait.seconds)
                )
                pass.failed.append(report.periodKey)
                logger.warning(
                    permanent ? "Shift report refused; kept as a dead letter" : "Shift report not sent; trying again later",
                    metadata: ["report.period": "\(report.periodKey)", "error": "\(error)"]
                )
            } catch {
                logger.error("Shift report sent but not recorded", metadata: ["report.period": "\(report.periodKey)", "error": "\(error)"])
                pass.failed.append(report.periodKey)
            }
        }
        return pass
    }

    /// Records a report the server accepted, trying again a few times: one left unrecorded is sent
    /// again when its lease ends.
    private func recordSent(_ periodKey: String, now: Date) throws {
        var attempt = 0
        while true {
            do {
                return try store.markReportSent(periodKey, now: now)
            } catch  where attempt < 4 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
            }
        }
    }
}
