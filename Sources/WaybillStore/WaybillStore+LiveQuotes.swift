public import Foundation
import GRDB

extension WaybillStore {
    /// The prices `provider` answered for `parcel` at `since` or later, by planner service; nil when
    /// it has no answer that fresh.
    public func liveQuote(parcel: String, provider: String, since: Date) throws -> [String: Double]? {
        try read("read the live quotes") { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT prices FROM live_quotes WHERE parcel = ? AND provider = ? AND asked_at >= ?"),
                arguments: [parcel, provider, since.timeIntervalSince1970]
            ).map { try Self.decode([String: Double].self, $0, what: "live quotes") }
        }
    }

    /// Keeps the prices `provider` answered for `parcel` at `now`, and forgets every answer older
    /// than `forgetBefore` (the cache never outgrows the parcels of its freshness window).
    public func keepLiveQuote(_ prices: [String: Double], parcel: String, provider: String, now: Date, forgetBefore: Date) throws {
        let text = String(decoding: try Self.encoder.encode(prices), as: UTF8.self)
        try write("keep live quotes") { db in
            try db.execute(sql: "DELETE FROM live_quotes WHERE asked_at < ?", arguments: [forgetBefore.timeIntervalSince1970])
            try db.execute(
                sql: "INSERT OR REPLACE INTO live_quotes (parcel, provider, prices, asked_at) VALUES (?, ?, ?, ?)",
                arguments: [parcel, provider, text, now.timeIntervalSince1970]
            )
        }
    }
}
