public import Foundation
import GRDB
public import WaybillCore

/// The central API's answer to one pushed operation.
public struct PushAnswer: Sendable, Hashable {
    public let idempotencyKey: String
    public let status: CentralAPI.OperationStatus
    public let version: Int?
    public let reason: String?
    /// The entity as the central API holds it (conflicts), as JSON text.
    public let entity: String?

    public init(idempotencyKey: String, status: CentralAPI.OperationStatus, version: Int?, reason: String?, entity: String?) {
        self.idempotencyKey = idempotencyKey
        self.status = status
        self.version = version
        self.reason = reason
        self.entity = entity
    }
}

extension WaybillStore {
    /// The next batch to push: pending entries in (epoch, seq) order, or none while the first one's
    /// backoff has not run out. Entries leave the outbox only in this order.
    public func nextPushBatch(limit: Int, now: Date = Date()) throws -> [OutboxEntry] {
        try read("read the outbox") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE state = 'pending' ORDER BY epoch, seq LIMIT ?", arguments: [limit])
            guard let head = rows.first, (head["next_attempt_at"] as Double) <= now.timeIntervalSince1970 else { return [] }
            return try rows.map(OutboxEntry.init(row:))
        }
    }

    /// The pending entries due now, for a source without sequence numbers (a storefront): each
    /// entity's entries in order, an entity whose first entry waits for its backoff skipped, the
    /// others sent.
    public func duePushEntries(limit: Int, now: Date = Date()) throws -> [OutboxEntry] {
        try read("read the outbox") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox o WHERE o.state = 'pending' AND o.next_attempt_at <= ?
                      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.entity_id = o.entity_id AND p.state = 'pending'
                                        AND (p.epoch, p.seq) < (o.epoch, o.seq))
                    ORDER BY o.epoch, o.seq LIMIT ?
                    """,
                arguments: [now.timeIntervalSince1970, limit]
            ).map(OutboxEntry.init(row:))
        }
    }

    /// When the first pending entry may be sent (nil: nothing pending).
    public func nextPushDue() throws -> Date? {
        try read("read the outbox") { db in
            try Double.fetchOne(db, sql: "SELECT next_attempt_at FROM outbox WHERE state = 'pending' ORDER BY epoch, seq LIMIT 1")
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Records the central API's answers: applied and duplicate entries are confirmed; conflict and
    /// rejected ones are dead-lettered with a conflict a person can see, in one transaction.
    public func recordPushAnswers(_ answers: [PushAnswer], now: Date = Date()) throws {
        try write("record push answers") { db in
            for answer in answers {
                let result =
                    "{\"status\":\"\(answer.status.rawValue)\",\"version\":\(answer.version.map(String.init) ?? "null"),\"reason\":\(JSONStringLiteral.quote(answer.reason))}"
                switch answer.status {
                case .applied, .duplicate:
                    try db.execute(
                        sql: """
                            UPDATE outbox SET state = 'confirmed', confirmed_at = ?, result = ?, last_error = NULL
                            WHERE idempotency_key = ? AND state = 'pending'
                            """,
                        arguments: [now.timeIntervalSince1970, result, answer.idempotencyKey]
                    )
                case .conflict, .rejected:
                    guard
                        let row = try Row.fetchOne(
                            db,
                            sql: "SELECT entity_id, type, payload FROM outbox WHERE idempotency_key = ?",
                            arguments: [answer.idempotencyKey]
                        )
                    else { continue }
                    let conflictID = try Self.recordConflict(
                        db,
                        entity: "operation",
                        entityID: row["entity_id"],
                        rule: .operationRefused,
                        reason: "\(row["type"] as String) was \(answer.status.rawValue) by the central API: \(answer.reason ?? "no reason given")",
                        localData: row["payload"],
                        centralData: answer.entity,
                        now: now
                    )
                    try db.execute(
                        sql: """
                            UPDATE outbox SET state = 'dead', result = ?, last_error = ?, conflict_id = ?
                            WHERE idempotency_key = ? AND state = 'pending'
                            """,
                        arguments: [result, answer.reason, conflictID, answer.idempotencyKey]
                    )
                }
            }
        }
    }

    /// Dead-letters the pending entry the central API refused as a whole request (sent alone, it was
    /// answered 400 or 422): it gets a conflict a person can see and resolve, like an operation the
    /// central API rejected, and leaves the sequence.
    ///
    /// Only for an entry no request with an unknown outcome ever carried (`attempts` is 0: every
    /// request that carried it was answered, refused as a whole): the central API never applied it,
    /// and never applied an entry after it either, since every request that carried those carried
    /// this one first. So the pending entries after it are renumbered to close the gap, whether or
    /// not they were sent (``renumberUnsent(_:)``: none of them was). It also counts one more in ``SyncStateKey/pushRefusedInARow``.
    ///
    /// - Throws: ``StoreError`` `.notFound` when no pending entry has the key, `.invalidTransition`
    ///   when the entry went out in a request whose answer never came (it may have been applied).
    public func deadLetterRefused(idempotencyKey: String, reason: String, now: Date = Date()) throws {
        try deadLetter(idempotencyKey: idempotencyKey, reason: reason, onlyIfNeverSent: true, now: now)
    }

    /// Dead-letters the pending entry a central API that keeps no sequence (a storefront) could not
    /// take, whether or not earlier tries went out without an answer: there is no sequence to keep
    /// whole, and such a source reads the central side before each retry (the Shopify push looks
    /// for the fulfillment first), so an entry applied unseen is answered as a duplicate rather than
    /// failing again. It gets a conflict a person can see and resolve, as
    /// ``deadLetterRefused(idempotencyKey:reason:now:)`` gives.
    ///
    /// - Throws: ``StoreError`` `.notFound` when no pending entry has the key.
    public func deadLetterFailed(idempotencyKey: String, reason: String, now: Date = Date()) throws {
        try deadLetter(idempotencyKey: idempotencyKey, reason: reason, onlyIfNeverSent: false, now: now)
    }

    private func deadLetter(idempotencyKey: String, reason: String, onlyIfNeverSent: Bool, now: Date) throws {
        try write("dead-letter a refused outbox entry") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT id, epoch, seq, entity_id, type, payload, attempts FROM outbox WHERE idempotency_key = ? AND state = 'pending'",
                    arguments: [idempotencyKey]
                )
            else { throw StoreError(.notFound, "no pending outbox entry has the key \(idempotencyKey)") }
            guard !onlyIfNeverSent || (row["attempts"] as Int) == 0 else {
                throw StoreError(.invalidTransition, "outbox entry \(idempotencyKey) went out before without an answer and may have been applied")
            }
            let conflictID = try Self.recordConflict(
                db,
                entity: "operation",
                entityID: row["entity_id"],
                rule: .operationRefused,
                reason: "\(row["type"] as String) was \(onlyIfNeverSent ? "refused" : "not taken") by the central API: \(reason)",
                localData: row["payload"],
                centralData: nil,
                now: now
            )
            try db.execute(
                sql: "UPDATE outbox SET state = 'dead', seq = -id, result = NULL, last_error = ?, conflict_id = ? WHERE id = ?",
                arguments: [
                    onlyIfNeverSent ? "refused by the central API: \(reason)" : "not taken by the central API: \(reason)", conflictID,
                    row["id"] as Int64,
                ]
            )
            try Self.renumberUnsent(db)
            // The hub's limit on refusals in a row; a storefront's failures are not its refusals.
            guard onlyIfNeverSent else { return }
            try db.execute(
                sql: """
                    INSERT INTO sync_state (key, value, updated_at) VALUES (?, '1', ?)
                    ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1, updated_at = excluded.updated_at
                    """,
                arguments: [SyncStateKey.pushRefusedInARow.rawValue, now.timeIntervalSince1970]
            )
        }
    }

    /// Records a failed push of these entries: one more attempt, the error, and when to try again
    /// (stored, so backoff survives restarts).
    ///
    /// `countingAttempt: false` is for a request the central API refused as it is: nothing of it was
    /// applied, so its entries stay "never sent with an unknown outcome" (they can still be
    /// renumbered, discarded or dead-lettered as refused).
    public func recordPushFailure(idempotencyKeys: [String], error: String, retryAt: Date, countingAttempt: Bool = true) throws {
        try write("record a push failure") { db in
            for key in idempotencyKeys {
                try db.execute(
                    sql:
                        "UPDATE outbox SET attempts = attempts + ?, last_error = ?, next_attempt_at = ? WHERE idempotency_key = ? AND state = 'pending'",
                    arguments: [countingAttempt ? 1 : 0, error, retryAt.timeIntervalSince1970, key]
                )
            }
        }
    }

    /// Makes every pending entry due now (after `waybill outbox retry`, or when connectivity returns).
    @discardableResult
    public func retryPendingNow(now: Date = Date()) throws -> Int {
        try write("retry the outbox") { db in
            try db.execute(sql: "UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending'", arguments: [now.timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// The entry with this idempotency key, in any state.
    public func outboxEntry(idempotencyKey: String) throws -> OutboxEntry? {
        try read("read an outbox entry") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE idempotency_key = ?", arguments: [idempotencyKey]).map(OutboxEntry.init(row:))
        }
    }

    /// Discards a pending or held entry a person decided must not reach the central API, with the reason.
    ///
    /// - Throws: ``StoreError`` `.invalidTransition` when the entry may already have been applied
    ///   (it was sent and not answered) or is no longer pending or held.
    public func discardOutboxEntry(idempotencyKey: String, reason: String, now: Date = Date()) throws {
        try write("discard an outbox entry") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT state, attempts FROM outbox WHERE idempotency_key = ?", arguments: [idempotencyKey])
            else { throw StoreError(.notFound, "no outbox entry has the key \(idempotencyKey); list them with `waybill outbox list`") }
            let state: String = row["state"]
            guard state == "held" || (state == "pending" && (row["attempts"] as Int) == 0) else {
                throw StoreError(
                    .invalidTransition,
                    state == "pending"
                        ? "the entry was sent and may already be applied; let sync finish, then resolve what it answers"
                        : "the entry is \(state); only pending or held entries can be discarded"
                )
            }
            try db.execute(
                sql: "UPDATE outbox SET state = 'dead', seq = -id, last_error = ? WHERE idempotency_key = ?",
                arguments: ["discarded by a person: \(reason)", idempotencyKey]
            )
            try Self.renumberUnsent(db)
        }
    }

    /// Holds never-sent entries whose entity has an unresolved refused operation, so they neither
    /// fail the same way nor block unrelated later entries.
    ///
    /// A held entry leaves the sequence; the never-sent entries after it are renumbered to close the
    /// gap (the central API requires consecutive sequence numbers). Entries that may have reached the
    /// central API are never renumbered. Returns the number of entries held.
    @discardableResult
    public func holdDependents(now: Date = Date()) throws -> Int {
        try write("hold dependent outbox entries") { db in
            let blocked = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                        SELECT o.id, o.entity_id, (SELECT d.conflict_id FROM outbox d JOIN conflicts c ON c.id = d.conflict_id
                            WHERE d.entity_id = o.entity_id AND d.state = 'dead' AND c.state = 'needs_person'
                            ORDER BY d.id LIMIT 1) AS blocking_conflict
                        FROM outbox o WHERE o.state = 'pending' AND o.attempts = 0
                    ) WHERE blocking_conflict IS NOT NULL
                    """
            )
            guard !blocked.isEmpty else { return 0 }
            for row in blocked {
                try db.execute(
                    sql: "UPDATE outbox SET state = 'held', seq = -id, conflict_id = ?, last_error = ? WHERE id = ?",
                    arguments: [
                        row["blocking_conflict"] as Int64,
                        "waits for conflict #\(row["blocking_conflict"] as Int64) on \(row["entity_id"] as String)",
                        row["id"] as Int64,
                    ]
                )
            }
            try Self.renumberUnsent(db)
            return blocked.count
        }
    }

    /// Closes gaps in the current epoch's sequence: never-sent pending entries get consecutive numbers
    /// after the last entry that may have been sent.
    static func renumberUnsent(_ db: Database) throws {
        guard let epoch = try Int.fetchOne(db, sql: "SELECT epoch FROM station WHERE id = 1") else { return }
        let sent =
            try Int.fetchOne(
                db,
                sql: "SELECT max(seq) FROM outbox WHERE epoch = ? AND seq > 0 AND (state != 'pending' OR attempts > 0)",
                arguments: [epoch]
            ) ?? 0
        let unsent = try Int64.fetchAll(
            db,
            sql: "SELECT id FROM outbox WHERE epoch = ? AND state = 'pending' AND attempts = 0 AND seq > ? ORDER BY seq",
            arguments: [epoch, sent]
        )
        for id in unsent { try db.execute(sql: "UPDATE outbox SET seq = -1000000000 - id WHERE id = ?", arguments: [id]) }
        for (offset, id) in unsent.enumerated() {
            try db.execute(sql: "UPDATE outbox SET seq = ? WHERE id = ?", arguments: [sent + 1 + offset, id])
        }
    }
}
