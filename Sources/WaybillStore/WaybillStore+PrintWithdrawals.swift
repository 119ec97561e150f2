import Foundation
import GRDB

extension WaybillStore {
    /// Withdraws the open print jobs of an order's labels (an intercept, a relabel), in the caller's
    /// transaction. A job that never went to CUPS fails at once with `reason` (should a submission
    /// already under way take it to CUPS, the spooler cancels it there). One that did, or may
    /// have (sent before without an answer), keeps its state with the withdrawal recorded: the
    /// spooler cancels it in CUPS and fails it, or records it printed when CUPS printed it first. A
    /// job CUPS holds (its printer paused) would otherwise print when the printer comes back.
    static func withdrawPrintJobs(_ db: Database, orderID: String, reason: String, now: Date) throws {
        // The order's labels and their reprints (`L-1-R1` has no label row of its own).
        let labels = "SELECT id FROM labels WHERE order_id = ?1"
        let jobs = "(label_id IN (\(labels)) OR reprint_of IN (\(labels)))"
        // Recorded on every open job, so one a submission in flight moves on is still cancelled.
        try db.execute(
            sql: """
                UPDATE print_jobs SET withdrawal = ?2, updated_at = ?3
                WHERE state IN ('spooled', 'submitted', 'held') AND withdrawal IS NULL AND \(jobs)
                """,
            arguments: [orderID, reason, now.timeIntervalSince1970]
        )
        try db.execute(
            sql: """
                UPDATE print_jobs SET state = 'failed', reason = ?2, updated_at = ?3
                WHERE state IN ('spooled', 'held') AND cups_job_id IS NULL AND attempts = 0 AND \(jobs)
                """,
            arguments: [orderID, reason, now.timeIntervalSince1970]
        )
    }

    /// Replaces an order's current box labels and slips for `cause` (an address change: they show
    /// the old address; a re-plan: the old plan's boxes), and withdraws every job of the order not
    /// yet printed with `reason`, in the caller's transaction. New ones print in their place under
    /// new ids, and only those count for the parcel.
    static func replaceBoxDocuments(_ db: Database, orderID: String, cause: String, reason: String, now: Date) throws {
        try withdrawPrintJobs(db, orderID: orderID, reason: reason, now: now)
        try db.execute(
            sql: "UPDATE labels SET replaced = ? WHERE order_id = ? AND kind IN ('box', 'slip') AND replaced IS NULL",
            arguments: [cause, orderID]
        )
    }
}
