public import Foundation
import GRDB
public import WaybillCore

/// What the store knows about the station's state, for `waybill status`.
public struct StoreStatus: Sendable, Hashable {
    public let identity: StationIdentity?
    public let schemaVersion: Int
    /// Outbox entries still to be confirmed by the central API.
    public let outboxDepth: Int
    /// Age of the oldest pending outbox entry, in seconds; `nil` when none is pending.
    public let oldestPendingAge: Double?
    /// Entries the central API refused (conflict or rejection) that still wait for a person: a dead
    /// letter whose conflict a person resolved is acknowledged (kept in `waybill outbox list --state
    /// dead`, no longer counted here).
    public let deadLetters: Int
    /// Entries waiting for a conflict on their entity to be resolved.
    public let held: Int
    /// Pulled changes this station could not read.
    public let quarantined: Int
    /// Conflicts that need a person.
    public let conflictsOpen: Int
    /// The cursor of each feed pulled so far.
    public let cursors: [String: String]
    /// How many print jobs are in each state; every state is present.
    public let printJobs: [PrintJobState: Int]
    /// Of the failed print jobs, those the conflict rules withdrew on purpose (an intercept, a
    /// relabel) before any of it printed: nothing to fix or reprint. One cancelled while it was
    /// printing is not among them (part of it may be on the printer).
    public let withdrawnPrintJobs: Int
}

extension WaybillStore {
    /// Reads everything `waybill status` shows, in one consistent snapshot.
    public func status(now: Date = Date()) throws -> StoreStatus {
        try read("read the station status") { db in
            let identity = try Row.fetchOne(db, sql: "SELECT station_id, epoch FROM station WHERE id = 1").flatMap { row in
                StationID(rawValue: row["station_id"]).map { StationIdentity(stationID: $0, epoch: row["epoch"]) }
            }
            let outbox = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS depth, min(created_at) AS oldest,
                           (SELECT count(*) FROM outbox d WHERE d.state = 'dead'
                              AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.id = d.conflict_id AND c.state = 'resolved')) AS dead
                    FROM outbox WHERE state = 'pending'
                    """
            )
            let oldest: Double? = outbox?["oldest"]
            var cursors: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT feed, cursor FROM sync_cursors") {
                cursors[row["feed"]] = row["cursor"]
            }
            var printJobs = Dictionary(uniqueKeysWithValues: PrintJobState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM print_jobs GROUP BY state") {
                if let state = PrintJobState(rawValue: row["state"]) { printJobs[state] = row["n"] }
            }
            return StoreStatus(
                identity: identity,
                schemaVersion: try StoreMigrations.migrator.appliedIdentifiers(db).count,
                outboxDepth: outbox?["depth"] ?? 0,
                oldestPendingAge: oldest.map { max(0, now.timeIntervalSince1970 - $0) },
                deadLetters: outbox?["dead"] ?? 0,
                held: try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE state = 'held'") ?? 0,
                quarantined: try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine") ?? 0,
                conflictsOpen: try Int.fetchOne(db, sql: "SELECT count(*) FROM conflicts WHERE state = 'needs_person'") ?? 0,
                cursors: cursors,
                printJobs: printJobs,
                // The spooler's reason for a job cancelled mid-print (PrintSpooler+Follow.swift) keeps it counted.
                withdrawnPrintJobs: try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM print_jobs
                        WHERE state = 'failed' AND withdrawal IS NOT NULL AND reason NOT LIKE '%while it was printing%'
                        """
                ) ?? 0
            )
        }
    }
}
