public import Foundation
import GRDB
public import WaybillCore

/// A composed shift report waiting in the report outbox.
public struct QueuedReport: Sendable, Hashable {
    public let periodKey: String
    public let period: ShiftPeriod
    public let messageID: String
    public let sender: String
    public let recipients: [String]
    /// The exact message, sent as it is on every attempt.
    public let message: [UInt8]
    public let state: String
    public let attempts: Int
    public let nextAttemptAt: Date
    public let lastError: String?
    public let sentAt: Date?

    init(row: Row) {
        periodKey = row["period_key"]
        period = ShiftPeriod(start: Date(timeIntervalSince1970: row["period_start"]), end: Date(timeIntervalSince1970: row["period_end"]))
        messageID = row["message_id"]
        sender = row["sender"]
        recipients = (row["recipients"] as String).split(separator: ",").map(String.init)
        message = Array(row["message"] as Data)
        state = row["state"]
        attempts = row["attempts"]
        nextAttemptAt = Date(timeIntervalSince1970: row["next_attempt_at"])
        lastError = row["last_error"]
        sentAt = (row["sent_at"] as Double?).map(Date.init(timeIntervalSince1970:))
    }
}

extension WaybillStore {
    /// What the station did in `period`, from its own tables (see ``ShiftReport``'s fields); `now`
    /// bounds a period that is still running.
    public func shiftReport(stationID: String, period: ShiftPeriod, now: Date = Date()) throws -> ShiftReport {
        let start = period.start.timeIntervalSince1970
        let end = min(period.end, now).timeIntervalSince1970
        let window: StatementArguments = [start, end]
        return try read("read the shift report") { db in
            var report = ShiftReport(stationID: stationID, period: period)
            let orders = try Row.fetchAll(
                db,
                sql: """
                    WITH packed AS (SELECT entity_id AS id, min(created_at) AS at FROM outbox
                                    WHERE type = 'pack' AND created_at >= ?1 AND created_at < ?2 GROUP BY entity_id),
                         shipped AS (SELECT entity_id AS id, min(created_at) AS at FROM outbox
                                     WHERE type = 'ship' AND created_at >= ?1 AND created_at < ?2 GROUP BY entity_id),
                         ids AS (SELECT id FROM packed UNION SELECT id FROM shipped)
                    SELECT ids.id, coalesce(o.state, 'unknown') AS state, p.at AS packed_at, s.at AS shipped_at,
                           (SELECT e.packer FROM pack_events e WHERE e.order_id = ids.id ORDER BY e.created_at DESC LIMIT 1) AS packer,
                           coalesce((SELECT box_count FROM shipments WHERE order_id = ids.id), 0) AS boxes,
                           coalesce((SELECT sum(json_extract(l.value, '$.quantity')) FROM json_each(o.data, '$.lines') l), 0) AS units,
                           coalesce((SELECT sum(json_extract(c.data, '$.cost')) FROM carrier_labels c
                                     WHERE c.order_id = ids.id AND c.id NOT IN (SELECT label_id FROM voided_labels)), 0) AS label_cost
                    FROM ids LEFT JOIN orders o ON o.id = ids.id
                    LEFT JOIN packed p ON p.id = ids.id LEFT JOIN shipped s ON s.id = ids.id
                    ORDER BY ids.id
                    """,
                arguments: window
            )
            for row in orders {
                let shipped = (row["shipped_at"] as Double?).map(Date.init(timeIntervalSince1970:))
                let order = ShiftReport.Order(
                    id: row["id"],
                    state: row["state"],
                    packer: row["packer"],
                    boxes: row["boxes"],
                    units: row["units"],
                    labelCost: row["label_cost"],
                    packedAt: (row["packed_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                    shippedAt: shipped
                )
                report.orders.append(order)
                if order.packedAt != nil { report.ordersPacked += 1 }
                if shipped != nil {
                    report.ordersShipped += 1
                    report.boxes += order.boxes
                    report.units += order.units
                }
            }
            // Carrier labels count when they first printed (their purchase has no time of its own).
            report.labelCost =
                try Double.fetchOne(
                    db,
                    sql: """
                        SELECT sum(json_extract(c.data, '$.cost')) FROM carrier_labels c JOIN labels l ON l.id = c.id
                        WHERE l.kind = 'carrier' AND l.created_at >= ? AND l.created_at < ?
                          AND c.id NOT IN (SELECT label_id FROM voided_labels)
                        """,
                    arguments: window
                ) ?? 0
            report.labelsPrinted =
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM print_jobs WHERE state = 'printed' AND updated_at >= ? AND updated_at < ?",
                    arguments: window
                ) ?? 0
            report.reprints = try Row.fetchAll(
                db,
                sql: """
                    SELECT label_id, reprint_reason FROM print_jobs
                    WHERE reprint_of IS NOT NULL AND created_at >= ? AND created_at < ? ORDER BY created_at
                    """,
                arguments: window
            ).map { ShiftReport.Reprint(labelID: $0["label_id"], reason: $0["reprint_reason"] ?? "") }
            report.labelsHeld = try Int.fetchOne(db, sql: "SELECT count(*) FROM print_jobs WHERE state = 'held'") ?? 0
            report.printerFaults = try Row.fetchAll(
                db,
                sql: """
                    SELECT printer, coalesce(reason, state) AS reason, count(*) AS n FROM print_jobs
                    WHERE state IN ('held', 'failed') AND updated_at >= ? AND updated_at < ?
                    GROUP BY printer, coalesce(reason, state) ORDER BY printer, n DESC
                    """,
                arguments: window
            ).map { ShiftReport.PrinterFault(printer: $0["printer"], reason: $0["reason"], count: $0["n"]) }
            report.packers = try Row.fetchAll(
                db,
                sql: """
                    WITH names AS (SELECT packer FROM pack_events WHERE created_at >= ?1 AND created_at < ?2
                                   UNION SELECT packer FROM box_weights WHERE created_at >= ?1 AND created_at < ?2)
                    SELECT names.packer,
                           (SELECT count(DISTINCT order_id) FROM pack_events e
                            WHERE e.packer = names.packer AND e.outcome = 'order_complete' AND e.created_at >= ?1 AND e.created_at < ?2) AS packed,
                           (SELECT count(*) FROM pack_events e
                            WHERE e.packer = names.packer AND e.outcome NOT IN ('counted', 'box_closed', 'order_complete', 'unreadable', 'weigh_first')
                              AND e.created_at >= ?1 AND e.created_at < ?2) AS mistakes,
                           (SELECT count(*) FROM box_weights w
                            WHERE w.packer = names.packer AND w.override_reason IS NOT NULL AND w.created_at >= ?1 AND w.created_at < ?2) AS overrides
                    FROM names ORDER BY names.packer
                    """,
                arguments: window
            ).map {
                ShiftReport.Packer(name: $0["packer"], ordersPacked: $0["packed"], mistakesCaught: $0["mistakes"], scaleOverrides: $0["overrides"])
            }
            // Offline spells that overlap the period, and the one still open.
            var offline =
                try Double.fetchOne(
                    db,
                    sql: """
                        SELECT sum(min(ended_at, ?2) - max(started_at, ?1)) FROM offline_spells
                        WHERE ended_at > ?1 AND started_at < ?2
                        """,
                    arguments: window
                ) ?? 0
            if let since = try String.fetchOne(db, sql: "SELECT value FROM sync_state WHERE key = 'offline_since'").flatMap(Double.init) {
                offline += max(0, end - max(since, start))
            }
            report.minutesOffline = Int(offline / 60)
            report.longestOutboxWaitSeconds = Int(
                try Double.fetchOne(
                    db,
                    sql: """
                        SELECT max(min(coalesce(confirmed_at, ?2), ?2) - max(created_at, ?1)) FROM outbox
                        WHERE created_at < ?2 AND (confirmed_at IS NULL OR confirmed_at >= ?1) AND state != 'dead'
                        """,
                    arguments: window
                ) ?? 0
            )
            report.conflicts = try Row.fetchAll(
                db,
                sql: """
                    SELECT rule, CASE WHEN state = 'resolved' THEN 'resolved: ' || coalesce(resolution, '?') ELSE state END AS outcome,
                           count(*) AS n
                    FROM conflicts WHERE created_at >= ? AND created_at < ? GROUP BY rule, outcome ORDER BY rule, outcome
                    """,
                arguments: window
            ).map { ShiftReport.Conflicts(rule: $0["rule"], outcome: $0["outcome"], count: $0["n"]) }
            report.quarantined =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine WHERE received_at >= ? AND received_at < ?", arguments: window) ?? 0
            return report
        }
    }

    /// Queues a composed report for its period; false (and nothing written) when that period
    /// already has one: one email per period, whatever happens in between.
    @discardableResult
    public func queueReport(period: ShiftPeriod, message: ShiftReportMessage, sender: String, recipients: [String], now: Date = Date()) throws
        -> Bool
    {
        try write("queue the shift report") { db in
            try db.execute(
                sql: """
                    INSERT INTO report_outbox (period_key, period_start, period_end, message_id, sender, recipients, message, state,
                                               next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT(period_key) DO NOTHING
                    """,
                arguments: [
                    period.key, period.start.timeIntervalSince1970, period.end.timeIntervalSince1970, message.messageID, sender,
                    recipients.joined(separator: ","), Data(message.bytes), now.timeIntervalSince1970, now.timeIntervalSince1970,
                ]
            )
            return db.changesCount == 1
        }
    }

    /// Whether `period` has a report queued, sent or dead.
    public func hasReport(for period: ShiftPeriod) throws -> Bool {
        try read("read the report outbox") { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM report_outbox WHERE period_key = ?", arguments: [period.key]) ?? false
        }
    }

    /// Takes the oldest report whose next attempt is due, for `lease`: its next attempt moves past
    /// the lease, so a second sender (the agent and `waybill report send --now`) never sends it at
    /// the same time, and a sender that dies mid-send leaves it to be tried again once the lease ends.
    /// `claimer` is the sending process's id (see ``releaseAbandonedReports(isAlive:now:)``).
    public func claimNextReport(now: Date = Date(), lease: Duration = .seconds(300), claimer: Int32) throws -> QueuedReport? {
        try write("take a report to send") { db in
            try Row.fetchOne(
                db,
                sql: """
                    UPDATE report_outbox SET next_attempt_at = ?, claimed_by = ?
                    WHERE period_key = (SELECT period_key FROM report_outbox WHERE state = 'queued' AND next_attempt_at <= ?
                                        ORDER BY period_start LIMIT 1)
                    RETURNING *
                    """,
                arguments: [now.timeIntervalSince1970 + Double(lease.components.seconds), claimer, now.timeIntervalSince1970]
            ).map(QueuedReport.init(row:))
        }
    }

    /// Makes the reports that a process no longer alive was sending due at once (it died
    /// mid-send: a crash, a kill), rather than at the end of its lease.
    public func releaseAbandonedReports(isAlive: (Int32) -> Bool, now: Date = Date()) throws {
        try write("release abandoned reports") { db in
            let claims = try Row.fetchAll(
                db,
                sql: "SELECT period_key, claimed_by FROM report_outbox WHERE state = 'queued' AND claimed_by IS NOT NULL AND next_attempt_at > ?",
                arguments: [now.timeIntervalSince1970]
            )
            for claim in claims where !isAlive(claim["claimed_by"]) {
                try db.execute(
                    sql: "UPDATE report_outbox SET next_attempt_at = ?, claimed_by = NULL WHERE period_key = ?",
                    arguments: [now.timeIntervalSince1970, claim["period_key"] as String]
                )
            }
        }
    }

    /// The station's creation time (its first start), before which it has nothing to report.
    public func createdAt() throws -> Date? {
        try read("read the station identity") { db in
            try Double.fetchOne(db, sql: "SELECT created_at FROM station WHERE id = 1").map(Date.init(timeIntervalSince1970:))
        }
    }

    /// The report outbox for `waybill status`: reports waiting, dead letters, the last sent.
    public func reportOutboxSummary() throws -> (queued: Int, dead: Int, lastSentAt: Date?, lastError: String?) {
        try read("read the report outbox") { db in
            let queued = try Int.fetchOne(db, sql: "SELECT count(*) FROM report_outbox WHERE state = 'queued'") ?? 0
            let dead = try Int.fetchOne(db, sql: "SELECT count(*) FROM report_outbox WHERE state = 'dead'") ?? 0
            let sent = try Double.fetchOne(db, sql: "SELECT max(sent_at) FROM report_outbox").map(Date.init(timeIntervalSince1970:))
            let error = try String.fetchOne(
                db,
                sql: "SELECT last_error FROM report_outbox WHERE state != 'sent' AND last_error IS NOT NULL ORDER BY period_start DESC LIMIT 1"
            )
            return (queued, dead, sent, error)
        }
    }

    /// When the next queued report is due to be tried (a retry's time, or a lease's end); nil
    /// when none waits.
    public func nextReportAttempt() throws -> Date? {
        try read("read the report outbox") { db in
            try Double.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM report_outbox WHERE state = 'queued'")
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Every report, newest period first.
    public func reports(limit: Int = 50) throws -> [QueuedReport] {
        try read("read the report outbox") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM report_outbox ORDER BY period_start DESC LIMIT ?", arguments: [limit])
                .map(QueuedReport.init(row:))
        }
    }

    /// Records that the server accepted the report.
    public func markReportSent(_ periodKey: String, now: Date = Date()) throws {
        try write("record the report as sent") { db in
            try db.execute(
                sql: """
                    UPDATE report_outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, claimed_by = NULL
                    WHERE period_key = ?
                    """,
                arguments: [now.timeIntervalSince1970, periodKey]
            )
        }
    }

    /// Records a failed attempt: tried again at `retryAt`, or a dead letter when `permanent`.
    public func markReportFailed(_ periodKey: String, error: String, permanent: Bool, retryAt: Date) throws {
        try write("record the report's failed attempt") { db in
            try db.execute(
                sql: """
                    UPDATE report_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_by = NULL,
                                             state = CASE WHEN ? THEN 'dead' ELSE state END
                    WHERE period_key = ? AND state = 'queued'
                    """,
                arguments: [error, retryAt.timeIntervalSince1970, permanent, periodKey]
            )
        }
    }

    /// Queues a refused report again for sending now, as `message` from `sender` to `recipients`
    /// (composed again with today's settings), its attempts counted afresh.
    public func requeueReport(_ periodKey: String, message: ShiftReportMessage, sender: String, recipients: [String], now: Date = Date()) throws {
        try write("queue the report again") { db in
            try db.execute(
                sql: """
                    UPDATE report_outbox SET state = 'queued', next_attempt_at = ?, attempts = 0, message = ?, message_id = ?,
                                             sender = ?, recipients = ?, claimed_by = NULL
                    WHERE period_key = ? AND state = 'dead'
                    """,
                arguments: [
                    now.timeIntervalSince1970, Data(message.bytes), message.messageID, sender, recipients.joined(separator: ","), periodKey,
                ]
            )
        }
    }
}
