public import Foundation
import GRDB
import WaybillCore

extension WaybillStore {
    /// The benchmark peer of a durable local action: the same rows (an order update and an outbox
    /// insert) committed with plain SQL on a fresh database with the store's pragmas, timed per commit.
    ///
    /// Used by `waybill-bench commit`; not part of the station's behaviour.
    public static func rawCommitBaseline(path: String, count: Int) throws -> [Duration] {
        let store = try WaybillStore.open(atPath: path)
        let clock = ContinuousClock()
        return try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "INSERT INTO orders (id, version, state, data, updated_at) VALUES ('O-raw', 1, 'assigned', '{}', 0)")
            var durations: [Duration] = []
            durations.reserveCapacity(count)
            for index in 0..<count {
                let start = clock.now
                try db.inTransaction {
                    try db.execute(
                        sql: "UPDATE orders SET state = ?, updated_at = ? WHERE id = 'O-raw'",
                        arguments: [index % 2 == 0 ? "claimed" : "packed", Double(index)]
                    )
                    try db.execute(
                        sql: """
                            INSERT INTO outbox (station_id, epoch, seq, idempotency_key, type, entity_id, base_version, payload,
                                                state, attempts, next_attempt_at, created_at)
                            VALUES ('bench', 1, ?, ?, 'claim', 'O-raw', 1, '{}', 'pending', 0, 0, 0)
                            """,
                        arguments: [index + 1, "bench:\(index)"]
                    )
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
