public import Foundation
import GRDB
public import WaybillCore

extension WaybillStore {
    /// A cached quote, or `nil`.
    public func cachedQuote(_ key: QuoteKey) throws -> RateQuote? {
        try read("read the quote cache") { db in
            try String.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT quote FROM quote_cache
                        WHERE service = ? AND zone = ? AND billable_lb = ? AND dims = ? AND flags = ? AND table_version = ?
                        """
                ),
                arguments: [key.service, key.zone, key.billableLb, key.dims, key.flags, key.tableVersion]
            ).map { try Self.decode(RateQuote.self, $0, what: "a cached quote") }
        }
    }

    /// Remembers a quote under its key.
    public func cacheQuote(_ quote: RateQuote, for key: QuoteKey, now: Date = Date()) throws {
        try cacheQuotes([(key, quote)], now: now)
    }

    /// Remembers quotes under their keys, in one transaction (one commit for a whole plan's misses).
    public func cacheQuotes(_ entries: [(key: QuoteKey, quote: RateQuote)], now: Date = Date()) throws {
        guard !entries.isEmpty else { return }
        let texts = try entries.map { String(decoding: try Self.encoder.encode($0.quote), as: UTF8.self) }
        try write("cache quotes") { db in
            for (entry, text) in zip(entries, texts) {
                let key = entry.key
                try db.cachedStatement(
                    sql: """
                        INSERT OR REPLACE INTO quote_cache (service, zone, billable_lb, dims, flags, table_version, quote, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(
                    arguments: [key.service, key.zone, key.billableLb, key.dims, key.flags, key.tableVersion, text, now.timeIntervalSince1970]
                )
            }
        }
    }
}
