public import Foundation
import GRDB
public import WaybillCore

/// A carrier label bought from a shipping provider that the station voided (a relabel or an
/// intercept) and must void at the provider too.
public struct ProviderVoidDue: Sendable, Hashable {
    public let labelID: String
    /// The provider's id of the label.
    public let providerLabelID: String
    public let orderID: String
    /// Why the station voided it (the conflict).
    public let reason: String
}

/// A label the station voided, and what its provider answered to the void.
public struct ProviderVoid: Sendable, Hashable, Codable {
    public let labelID: String
    public let orderID: String
    /// `approved`, `refused`, or nil while the provider has not answered (or learns of it through the feed).
    public let state: String?
    public let message: String?
}

/// A label purchase the shipping provider refused as it is, waiting for a person.
public struct LabelRefusal: Sendable, Hashable, Codable {
    public let orderID: String
    public let boxNo: Int
    /// The provider's words.
    public let reason: String
    public let at: Date
}

/// What the station knows of the purchase requests it sent under one key.
public struct LabelAttemptState: Sendable, Hashable {
    /// Requests that went out (whose answers a process may never have seen: the label may exist).
    public let attempts: Int
    /// When the last request ended without an answer the station could act on (a timeout, a dropped
    /// connection, a 5xx, a label not yet stored), or, while it is out or when the process died during
    /// it, the latest it could end (its deadline): the provider may still be selling that label.
    public let unansweredSince: Date?
}

extension WaybillStore {
    /// The requests sent so far under `key`; nil when none was.
    public func labelAttempt(key: String) throws -> LabelAttemptState? {
        try read("read a label purchase attempt") { db in
            try Row.fetchOne(db, sql: "SELECT attempts, unanswered_since FROM label_attempts WHERE purchase_key = ?", arguments: [key]).map {
                LabelAttemptState(
                    attempts: $0["attempts"],
                    unansweredSince: ($0["unanswered_since"] as Double?).map(Date.init(timeIntervalSince1970:))
                )
            }
        }
    }

    /// Records, before its request goes out, that the purchase under `key` is being sent to
    /// `provider` with an answer due by `deadline` (its request timeout): until its end is recorded
    /// (``labelAttemptEnded(key:answered:now:)``), a process that starts anew takes it as unanswered
    /// since `deadline`.
    public func beginLabelAttempt(key: String, provider: String, orderID: String, boxNo: Int, deadline: Date, now: Date = Date()) throws {
        try write("record a label purchase attempt for order \(orderID)") { db in
            try db.execute(
                sql: """
                    INSERT INTO label_attempts (purchase_key, provider, order_id, box_no, attempts, updated_at, unanswered_since)
                    VALUES (?, ?, ?, ?, 1, ?, ?)
                    ON CONFLICT(purchase_key) DO UPDATE SET
                        attempts = attempts + 1, updated_at = excluded.updated_at, unanswered_since = excluded.unanswered_since
                    """,
                arguments: [key, provider, orderID, boxNo, now.timeIntervalSince1970, max(deadline, now).timeIntervalSince1970]
            )
        }
    }

    /// Records when the request of the purchase under `key` ended: `answered` when the provider said
    /// it sold nothing (a refusal), else it stays in doubt from `now` on until a label is recorded
    /// (``recordPurchasedLabel(_:json:key:providerLabelID:now:)``).
    public func labelAttemptEnded(key: String, answered: Bool, now: Date = Date()) throws {
        try write("record the end of a label purchase attempt") { db in
            try db.execute(
                sql: "UPDATE label_attempts SET updated_at = ?, unanswered_since = ? WHERE purchase_key = ?",
                arguments: [now.timeIntervalSince1970, answered ? nil : now.timeIntervalSince1970, key]
            )
        }
    }

    /// Keeps the provider's refusal of the purchase under `key` for people to read (until a later
    /// attempt succeeds).
    public func recordLabelRefusal(key: String, provider: String, orderID: String, boxNo: Int, reason: String, now: Date = Date()) throws {
        try write("record a refused label purchase") { db in
            try db.execute(
                sql: """
                    INSERT INTO label_attempts (purchase_key, provider, order_id, box_no, attempts, refused, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)
                    ON CONFLICT(purchase_key) DO UPDATE SET refused = excluded.refused, updated_at = excluded.updated_at
                    """,
                arguments: [key, provider, orderID, boxNo, String(reason.prefix(500)), now.timeIntervalSince1970]
            )
        }
    }

    /// Stores a carrier label bought under `key` (`json` is its contract form) and ties it to its
    /// attempt, in one transaction. A label the central hub sold comes again through the feed with
    /// its version, which replaces this copy. `providerLabelID` is the provider's id of the label
    /// when the station's differs.
    public func recordPurchasedLabel(
        _ label: CentralAPI.LabelData,
        json: String,
        key: String,
        providerLabelID: String? = nil,
        now: Date = Date()
    ) throws {
        try write("store carrier label \(label.labelID)") { db in
            try db.execute(
                sql: "INSERT INTO carrier_labels (id, version, order_id, data) VALUES (?, 0, ?, ?) ON CONFLICT(id) DO NOTHING",
                arguments: [label.labelID, label.orderID, json]
            )
            try db.execute(
                sql: """
                    UPDATE label_attempts SET label_id = ?, provider_label_id = ?, refused = NULL, unanswered_since = NULL, updated_at = ?
                    WHERE purchase_key = ?
                    """,
                arguments: [label.labelID, providerLabelID, now.timeIntervalSince1970, key]
            )
        }
    }

    /// Labels bought from `provider` that the station voided and the provider has not answered a void for.
    public func providerVoidsDue(provider: String, limit: Int = 50) throws -> [ProviderVoidDue] {
        try read("list the labels to void at \(provider)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT v.label_id, ifnull(a.provider_label_id, v.label_id) AS provider_label_id, v.order_id, v.reason FROM voided_labels v
                    JOIN label_attempts a ON a.label_id = v.label_id
                    WHERE a.provider = ? AND v.provider_void IS NULL
                    ORDER BY v.voided_at LIMIT ?
                    """,
                arguments: [provider, limit]
            ).map {
                ProviderVoidDue(labelID: $0["label_id"], providerLabelID: $0["provider_label_id"], orderID: $0["order_id"], reason: $0["reason"])
            }
        }
    }

    /// Records the provider's answer to voiding `labelID`: approved, or refused with its message
    /// (a label already scanned by the carrier cannot be voided; a person sees why).
    public func recordProviderVoid(labelID: String, approved: Bool, message: String) throws {
        try write("record the void of label \(labelID)") { db in
            try db.execute(
                sql: "UPDATE voided_labels SET provider_void = ?, provider_message = ? WHERE label_id = ?",
                arguments: [approved ? "approved" : "refused", String(message.prefix(500)), labelID]
            )
        }
    }

    /// The labels voided for `orderID`, with the provider's answers.
    public func providerVoids(orderID: String) throws -> [ProviderVoid] {
        try read("list the voided labels of order \(orderID)") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT label_id, order_id, provider_void, provider_message FROM voided_labels WHERE order_id = ? ORDER BY voided_at, label_id",
                arguments: [orderID]
            ).map { ProviderVoid(labelID: $0["label_id"], orderID: $0["order_id"], state: $0["provider_void"], message: $0["provider_message"]) }
        }
    }

    /// Label purchases the provider refused and that have no label yet, newest first.
    public func labelRefusals(limit: Int = 20) throws -> [LabelRefusal] {
        try read("list refused label purchases") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT order_id, box_no, refused, updated_at FROM label_attempts
                    WHERE refused IS NOT NULL AND label_id IS NULL ORDER BY updated_at DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map {
                LabelRefusal(
                    orderID: $0["order_id"],
                    boxNo: $0["box_no"],
                    reason: $0["refused"],
                    at: Date(timeIntervalSince1970: $0["updated_at"])
                )
            }
        }
    }
}
