public import Foundation
import GRDB
public import WaybillCore

extension WaybillStore {
    /// Records a new print job (a label just spooled, or a reprint).
    ///
    /// A reprint of an order's label records a `reprint` outbox entry (with its reason) in the same
    /// transaction.
    ///
    /// - Throws: ``StoreError`` `.withdrawn` for the first job of a document replaced or voided
    ///   since it was recorded (the sync withdrew the order's jobs while this one was being
    ///   spooled, so it would have printed the old address or a void label), or of an order whose
    ///   documents are withheld now (cancelled, taken by another station, its plan waiting for a
    ///   person); `.database`, also when a job with that label id exists.
    public func insertPrintJob(_ job: PrintJobRecord, now: Date = Date()) throws {
        try write("record print job \(job.labelID)") { db in try Self.insert(db, job, now: now) }
    }

    /// Records several new print jobs as ``insertPrintJob(_:now:)`` would, in one transaction (one
    /// commit): all of them, or none when one fails (a label id already recorded).
    public func insertPrintJobs(_ jobs: [PrintJobRecord], now: Date = Date()) throws {
        try write("record \(jobs.count) print jobs") { db in
            for job in jobs { try Self.insert(db, job, now: now) }
        }
    }

    private static func insert(_ db: Database, _ job: PrintJobRecord, now: Date) throws {
        if job.reprintOf == nil, let withdrawn = try withdrawal(db, labelID: job.labelID) {
            throw StoreError(.withdrawn, "label \(job.labelID) was \(withdrawn) before its print job was recorded: it does not print")
        }
        if job.reprintOf == nil, let orderID = try withheldOrder(db, labelID: job.labelID) {
            throw StoreError(
                .withdrawn,
                "label \(job.labelID): order \(orderID) was cancelled, taken by another station, or waits for a person to plan it again "
                    + "before the label's print job was recorded: it does not print"
            )
        }
        if let original = job.reprintOf, let owner = try Self.labelOwner(db, labelID: original) {
            let payload = CentralAPI.ReprintPayload(labelID: job.labelID, reprintOf: original, boxNo: owner.boxNo, reason: job.reprintReason ?? "")
            _ = try Self.appendOperation(db, kind: .reprint, entityID: owner.orderID, baseVersion: nil, payload: payload, now: now)
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO print_jobs (label_id, printer, format, spool_path, state, cups_job_id, attempts, next_attempt_at,
                                        reason, reprint_of, reprint_reason, resubmissions, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: Self.arguments(job))
    }

    /// Saves a print job's new state, attempts, CUPS job id and reason.
    ///
    /// When an order's label reaches `printed`, a `printed` outbox entry is recorded in the same
    /// transaction: exactly one per printed job.
    public func savePrintJob(_ job: PrintJobRecord, now: Date = Date()) throws {
        try write("update print job \(job.labelID)") { db in try Self.save(db, job, now: now) }
    }

    /// Saves several print jobs as ``savePrintJob(_:now:)`` would, in one transaction (one commit).
    public func savePrintJobs(_ jobs: [PrintJobRecord], now: Date = Date()) throws {
        try write("update \(jobs.count) print jobs") { db in
            for job in jobs { try Self.save(db, job, now: now) }
        }
    }

    private static func save(_ db: Database, _ job: PrintJobRecord, now: Date) throws {
        let previous = try String.fetchOne(db, sql: "SELECT state FROM print_jobs WHERE label_id = ?", arguments: [job.labelID])
        if job.state == .printed, previous != PrintJobState.printed.rawValue,
            let owner = try Self.labelOwner(db, labelID: job.reprintOf ?? job.labelID)
        {
            let payload = CentralAPI.PrintedPayload(labelID: job.labelID, kind: owner.kind, boxNo: owner.boxNo, printer: job.printer)
            _ = try Self.appendOperation(db, kind: .printed, entityID: owner.orderID, baseVersion: nil, payload: payload, now: now)
        }
        try db.cachedStatement(
            sql: """
                UPDATE print_jobs SET printer = ?2, format = ?3, spool_path = ?4, state = ?5, cups_job_id = ?6, attempts = ?7,
                    next_attempt_at = ?8, reason = ?9, reprint_of = ?10, reprint_reason = ?11, resubmissions = ?12,
                    created_at = ?13, updated_at = ?14
                WHERE label_id = ?1
                """
        ).execute(arguments: Self.arguments(job))
        guard db.changesCount == 1 else {
            throw StoreError(.notFound, "no print job has the label id \(job.labelID)")
        }
    }

    /// Why document `labelID` must not print any more: replaced by a new issue, or voided; nil
    /// when it is current (or belongs to no order).
    private static func withdrawal(_ db: Database, labelID: String) throws -> String? {
        if let cause = try String.fetchOne(db, sql: "SELECT replaced FROM labels WHERE id = ?", arguments: [labelID]) {
            return "replaced by \(cause)"
        }
        return try String.fetchOne(db, sql: "SELECT reason FROM voided_labels WHERE label_id = ?", arguments: [labelID]).map { "voided by \($0)" }
    }

    /// The order of document `labelID` when its documents are withheld (``documentsWithheld(_:)``);
    /// nil when they print (or the label belongs to no order).
    private static func withheldOrder(_ db: Database, labelID: String) throws -> String? {
        try String.fetchOne(
            db,
            sql: "SELECT o.id FROM labels l JOIN orders o ON o.id = l.order_id WHERE l.id = ? AND \(documentsWithheld("o"))",
            arguments: [labelID]
        )
    }

    /// The order, box and kind a label belongs to (`labels`), or nil for labels of no order (test prints).
    static func labelOwner(_ db: Database, labelID: String) throws -> (orderID: String, boxNo: Int?, kind: String)? {
        try Row.fetchOne(db, sql: "SELECT order_id, box_no, kind FROM labels WHERE id = ?", arguments: [labelID]).map {
            ($0["order_id"], $0["box_no"], $0["kind"])
        }
    }

    /// The print job of a label id.
    public func printJob(labelID: String) throws -> PrintJobRecord? {
        try read("read print job \(labelID)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM print_jobs WHERE label_id = ?", arguments: [labelID]).map(Self.printJob)
        }
    }

    /// Jobs not yet printed or failed, oldest first: what the spooler still has to do.
    public func openPrintJobs() throws -> [PrintJobRecord] {
        try read("list open print jobs") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM print_jobs WHERE state IN ('spooled', 'submitted', 'held') ORDER BY created_at, label_id"
            )
            .map(Self.printJob)
        }
    }

    /// The most recent print jobs, newest first.
    public func recentPrintJobs(limit: Int = 50) throws -> [PrintJobRecord] {
        try read("list print jobs") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM print_jobs ORDER BY created_at DESC, label_id DESC LIMIT ?", arguments: [limit])
                .map(Self.printJob)
        }
    }

    private static func arguments(_ job: PrintJobRecord) -> StatementArguments {
        [
            job.labelID, job.printer, job.format.rawValue, job.spoolPath, job.state.rawValue, job.cupsJobID, job.attempts,
            job.nextAttemptAt, job.reason, job.reprintOf, job.reprintReason, job.resubmissions, job.createdAt, job.updatedAt,
        ]
    }

    private static func printJob(_ row: Row) throws -> PrintJobRecord {
        let formatText: String = row["format"]
        let stateText: String = row["state"]
        guard let format = LabelFormat(rawValue: formatText), let state = PrintJobState(rawValue: stateText) else {
            throw StoreError(.database, "print job \(row["label_id"] as String? ?? "?") has an unknown format or state")
        }
        return PrintJobRecord(
            labelID: row["label_id"],
            printer: row["printer"],
            format: format,
            spoolPath: row["spool_path"],
            state: state,
            cupsJobID: row["cups_job_id"],
            attempts: row["attempts"],
            nextAttemptAt: row["next_attempt_at"],
            reason: row["reason"],
            reprintOf: row["reprint_of"],
            reprintReason: row["reprint_reason"],
            resubmissions: row["resubmissions"],
            withdrawal: row["withdrawal"],
            createdAt: row["created_at"],
            updatedAt: row["updated_at"]
        )
    }
}

extension WaybillStore {
    /// How many print jobs are in each state; every state is present.
    public func printJobCounts() throws -> [PrintJobState: Int] {
        try read("count print jobs by state") { db in
            var counts = Dictionary(uniqueKeysWithValues: PrintJobState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM print_jobs GROUP BY state") {
                if let state = PrintJobState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }
}
