import Foundation
import GRDB
import WaybillCore

/// The statements an order apply runs, prepared once per pulled batch.
final class OrderStatements {
    private let selectExisting: Statement
    private let upsert: Statement

    /// The replica's facts about an order before a central copy is applied.
    struct Existing {
        let state: String?
        let version: Int
        let contentVersion: Int
        let linesDigest: Int64
    }

    /// The replica's facts about order `id`, or nil when it has none.
    func existing(_ id: String) throws -> Existing? {
        selectExisting.resetForBinding()
        selectExisting.bind(id, at: 1)
        return try selectExisting.fetchBoundRow {
            Existing(state: $0.text(0), version: Int($0.int64(1)), contentVersion: Int($0.int64(2)), linesDigest: $0.int64(3))
        }
    }

    /// The replica's copy of an order, as written.
    struct Row {
        let id: String
        let version: Int
        let state: OrderState
        let data: JSONText
        let now: Date
        let central: CentralOrderFacts
        let linesDigest: Int64

        /// The row for `change`, in the state its reconciliation decided.
        init(_ change: PulledChange, state: OrderState, now: Date, central: CentralOrderFacts) {
            id = change.id
            version = change.version
            self.state = state
            data = change.dataText ?? JSONText("{}")
            self.now = now
            self.central = central
            linesDigest = change.linesDigestOrEmpty
        }
    }

    /// Inserts or replaces the replica's copy of an order.
    func upsert(_ row: Row) throws {
        try Self.run(upsert, row)
    }

    /// Inserts the replica's first copy of an order; `false` (and nothing written) when it has one.
    ///
    /// A resync mostly brings orders the replica has never seen: trying the insert first saves
    /// looking each one up before writing it.
    func insertNew(_ db: Database, _ row: Row) throws -> Bool {
        try Self.run(insertNew, row)
        return db.changesCount == 1
    }

    private static func run(_ statement: Statement, _ row: Row) throws {
        statement.resetForBinding()
        statement.bind(row.id, at: 1)
        statement.bind(Int64(row.version), at: 2)
        statement.bind(row.state.rawValue, at: 3)
        statement.bind(row.data, at: 4)
        statement.bind(row.now.timeIntervalSince1970, at: 5)
        statement.bind(row.central.state.rawValue, at: 6)
        statement.bind(row.central.stationID, at: 7)
        statement.bind(row.central.claimedBy, at: 8)
        statement.bind(Int64(row.central.contentVersion), at: 9)
        statement.bind(row.linesDigest, at: 10)
        try statement.executeBound()
    }

    private let insertNew: Statement

    init(_ db: Database) throws {
        let insert = """
            INSERT INTO orders (id, version, state, data, updated_at, central_state, station_id, claimed_by, content_version, lines_digest)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        selectExisting = try db.makeStatement(sql: "SELECT state, version, content_version, lines_digest FROM orders WHERE id = ?")
        upsert = try db.makeStatement(
            sql: insert + """

                ON CONFLICT(id) DO UPDATE SET version = excluded.version, state = excluded.state, data = excluded.data,
                    updated_at = excluded.updated_at, central_state = excluded.central_state, station_id = excluded.station_id,
                    claimed_by = excluded.claimed_by, content_version = excluded.content_version, lines_digest = excluded.lines_digest
                """
        )
        insertNew = try db.makeStatement(sql: insert + " ON CONFLICT(id) DO NOTHING")
        selectExisting.useDirectBindings()
        upsert.useDirectBindings()
        insertNew.useDirectBindings()
    }
}
