public import Foundation
import GRDB
import WaybillCore

extension WaybillStore {
    /// The benchmark peer of a durable local action: the same rows (an order update and an outbox
    /// insert) committed with plain SQL, in this store's own file (same size, same log, same
    /// pragmas), timed per commit. Its rows are its own: order `O-raw-<tag>` and outbox entries of
    /// station `raw-<tag>`, never the station's.
    ///
    /// Used by `waybill-bench commit`; not part of the station's behaviour.
    public func rawCommitBaseline(count: Int, tag: String) throws -> [Duration] {
        let clock = ContinuousClock()
        let order = "O-raw-\(tag)"
        return try writer.writeWithoutTransaction { db in
            try db.execute(
                sql: "INSERT INTO orders (id, version, state, data, updated_at) VALUES (?, 1, 'assigned', '{}', 0)",
                arguments: [order]
            )
            var durations: [Duration] = []
            durations.reserveCapacity(count)
            for index in 0..<count {
                let start = clock.now
                // Prepared once, as the store's own statements are: the peer pays for SQLite's work only.
                try db.inTransaction {
                    try db.cachedStatement(sql: "UPDATE orders SET state = ?, updated_at = ? WHERE id = ?")
                        .execute(arguments: [index % 2 == 0 ? "claimed" : "packed", Double(index), order])
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO outbox (station_id, epoch, seq, idempotency_key, type, entity_id, base_version, payload,
                                                state, attempts, next_attempt_at, created_at)
                            VALUES (?, 1, ?, ?, 'claim', ?, 1, '{}', 'pending', 0, 0, 0)
                            """
                    ).execute(arguments: ["raw-\(tag)", index + 1, "raw-\(tag):\(index)", order])
                    return .commit
                }
                durations.append(clock.now - start)
            }
            return durations
        }
    }
}

extension WaybillStore {
    /// Records `count` stock deltas of -1 in one transaction (benchmarks and tests of large backlogs).
    public func recordStockDeltas(count: Int, sku: String, location: String, now: Date = Date()) throws {
        try write("record stock deltas") { db in
            for _ in 0..<count {
                _ = try Self.appendOperation(
                    db,
                    kind: .stockDelta,
                    entityID: "\(sku)@\(location)",
                    baseVersion: nil,
                    payload: CentralAPI.StockDeltaPayload(sku: sku, location: location, delta: -1),
                    now: now
                )
            }
        }
    }
}
