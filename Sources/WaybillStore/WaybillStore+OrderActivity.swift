public import Foundation
import GRDB
public import WaybillCore

/// One order that changed in the replica (a state change, or a new central version).
public struct OrderChange: Sendable, Hashable {
    public let orderID: String
    public let state: OrderState
    public let version: Int
    /// When the replica recorded the change.
    public let changedAt: Date
}

/// What changed among the replica's orders since a mark, for live views (`/events`).
public struct OrderActivity: Sendable, Hashable {
    /// How many orders are in each state; every state is present.
    public let counts: [OrderState: Int]
    /// Orders changed after the mark passed in, oldest first (none on the first call).
    public let changes: [OrderChange]
    /// Pass this to the next call to get only later changes.
    public let mark: Double
}

extension WaybillStore {
    /// How many orders the replica holds in each state; every state is present.
    public func orderCounts() throws -> [OrderState: Int] {
        try read("count orders by state") { db in try Self.orderCounts(db) }
    }

    /// Order counts by state and the orders changed after `mark`, in one consistent read.
    ///
    /// - Parameters:
    ///   - mark: the ``OrderActivity/mark`` of the previous call; `nil` starts watching (no changes listed).
    ///   - limit: the most changes listed; the rest come with the next call.
    public func orderActivity(since mark: Double?, limit: Int = 500) throws -> OrderActivity {
        try read("read order activity") { db in
            let counts = try Self.orderCounts(db)
            guard let mark else {
                let latest = try Double.fetchOne(db, sql: "SELECT max(updated_at) FROM orders") ?? 0
                return OrderActivity(counts: counts, changes: [], mark: latest)
            }
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT id, state, version, updated_at FROM orders WHERE updated_at > ? ORDER BY updated_at LIMIT ?",
                arguments: [mark, limit]
            )
            let changes = rows.compactMap { row -> OrderChange? in
                guard let state = OrderState(rawValue: row["state"]) else { return nil }
                return OrderChange(
                    orderID: row["id"],
                    state: state,
                    version: row["version"],
                    changedAt: Date(timeIntervalSince1970: row["updated_at"])
                )
            }
            let next = rows.last.map { $0["updated_at"] as Double } ?? mark
            return OrderActivity(counts: counts, changes: changes, mark: next)
        }
    }

    private static func orderCounts(_ db: Database) throws -> [OrderState: Int] {
        var counts = Dictionary(uniqueKeysWithValues: OrderState.allCases.map { ($0, 0) })
        for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM orders GROUP BY state") {
            if let state = OrderState(rawValue: row["state"]) { counts[state] = row["n"] }
        }
        return counts
    }
}
