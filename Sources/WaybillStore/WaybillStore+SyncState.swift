public import Foundation
import GRDB

/// Facts the sync engine records for `waybill status`, by key.
public enum SyncStateKey: String, Sendable, CaseIterable {
    /// Time of the last pull that reached the end of the feed.
    case lastPullAt = "last_pull_at"
    /// Time of the last push the central API answered.
    case lastPushAt = "last_push_at"
    /// `online`, `degraded` or `offline`.
    case connectivity
    /// Since when the station is offline (or degraded).
    case offlineSince = "offline_since"
    /// The last sync error, for people.
    case lastError = "last_error"
    /// Whether the last pull ended with `has_more: false`.
    case caughtUp = "caught_up"
    /// Feed positions between the cursor and the feed's head after the last pull.
    case cursorLag = "cursor_lag"
    /// Set while the central API keeps serving a changes page this station cannot read: the
    /// cursor and the reason (`cursor C: reason`); cleared by the next pull that succeeds.
    case feedBlocked = "feed_blocked"
    /// The last sync error's code (`transport`, `httpStatus`, `authentication`, …); cleared by a
    /// cycle that succeeds.
    case lastErrorCode = "last_error_code"
    /// Seconds this station's clock is ahead of the central API's (negative: behind), from the
    /// `Date` header of the latest answer.
    case clockSkew = "clock_skew"
    /// Operations the central API refused alone, in a row, since anything of this station's was
    /// last applied: at three, the push stops dead-lettering and waits (the central API seems to
    /// refuse everything, not one bad operation).
    case pushRefusedInARow = "push_refused_in_a_row"
    /// The label provider's last failure (no answer, 5xx, 429, the key refused), with its name;
    /// cleared by a label round that runs.
    case labelsError = "labels_error"
    /// Why the label provider's live prices are not used now (the rate table prices boxes);
    /// cleared by the next answer.
    case livePricesError = "live_prices_error"
    /// The CUPS queue the agent prints packing slips on (empty: none, no slips print), recorded
    /// when it starts and at each reload (the last one stays after it stops): `waybill ship` counts
    /// slips as the agent does, whatever the environment of the shell it runs in.
    case documentPrinter = "document_printer"
}

extension WaybillStore {
    /// Records sync facts in one transaction. ``SyncStateKey/offlineSince`` keeps the start of an
    /// outage however often the connectivity changes within it (offline, degraded, an agent
    /// restarted); when the station comes back online (the key cleared) the outage is kept as a
    /// spell, for the shift report's minutes offline.
    public func recordSyncState(_ values: [SyncStateKey: String?], now: Date = Date()) throws {
        try write("record sync state") { db in
            var values = values
            if let offline = values[.offlineSince],
                let since = try String.fetchOne(
                    db,
                    sql: "SELECT value FROM sync_state WHERE key = ?",
                    arguments: [SyncStateKey.offlineSince.rawValue]
                )
                .flatMap(Double.init)
            {
                if offline == nil {
                    try db.execute(
                        sql: "INSERT INTO offline_spells (started_at, ended_at) VALUES (?, ?)",
                        arguments: [since, now.timeIntervalSince1970]
                    )
                } else {
                    // Still the same outage: its start stays.
                    values.removeValue(forKey: .offlineSince)
                }
            }
            for (key, value) in values {
                if let value {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO sync_state (key, value, updated_at) VALUES (?, ?, ?)",
                        arguments: [key.rawValue, value, now.timeIntervalSince1970]
                    )
                } else {
                    try db.execute(sql: "DELETE FROM sync_state WHERE key = ?", arguments: [key.rawValue])
                }
            }
        }
    }

    /// The recorded sync facts.
    public func syncState() throws -> [SyncStateKey: String] {
        try read("read sync state") { db in
            var result: [SyncStateKey: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM sync_state") {
                if let key = SyncStateKey(rawValue: row["key"]) { result[key] = row["value"] }
            }
            return result
        }
    }
}
