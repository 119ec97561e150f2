public import Foundation
public import Logging
public import WaybillCore
import WaybillHTTP
public import WaybillStore

/// Pushes the outbox in (epoch, seq) order; an entry leaves it only when the central API answers
/// applied or duplicate. Refused entries are dead-lettered with a visible conflict; later entries of
/// the same entity are held; everything else goes on.
///
/// When the central API refuses a whole batch for what it carries (400, 413 or 422 with its error
/// body), the batch is halved until the one entry at fault is sent alone; refused alone, that entry
/// is dead-lettered (``WaybillStore/WaybillStore/deadLetterRefused(idempotencyKey:reason:now:)``) and
/// the rest go on. The push waits instead, at the policy's cap and without counting an attempt
/// (nothing was applied), when the entry went out before in a request whose answer never came (the
/// central API may have applied it), or after three entries refused alone in a row since anything
/// was last applied, across cycles and restarts (the central API seems to refuse everything, not one
/// bad entry; dead-lettering would empty the outbox into conflicts).
public struct PushEngine: Sendable {
    public let client: CentralClient
    public let store: WaybillStore
    public let policy: RetryPolicy
    public let batchSize: Int
    let logger: Logger

    public init(client: CentralClient, store: WaybillStore, policy: RetryPolicy, batchSize: Int = 500, logger: Logger) {
        self.client = client
        self.store = store
        self.policy = policy
        self.batchSize = batchSize
        self.logger = logger
    }

    /// What one push did.
    public struct Report: Sendable {
        public var sent = 0
        public var confirmed = 0
        public var refused = 0
        public var held = 0
        /// True when nothing due is left to send.
        public var drained = false
    }

    /// Sends due batches until the outbox has nothing due; records failures with their backoff.
    public func push(now: @Sendable () -> Date = Date.init) async throws(SyncError) -> Report {
        var report = Report()
        try await push(now: now, into: &report)
        return report
    }

    /// Sends due batches as ``push(now:)`` does, counting into `report` as it goes: when a batch
    /// fails, `report` still tells what the batches before it confirmed.
    public func push(now: @Sendable () -> Date = Date.init, into report: inout Report) async throws(SyncError) {
        var limit = batchSize
        // Persisted: a restart or a new cycle does not start the count again.
        var refusedInARow = Int((try? store.syncState())?[.pushRefusedInARow] ?? "") ?? 0
        while true {
            let batch: [OutboxEntry]
            do {
                report.held += try store.holdDependents(now: now())
                batch = try store.nextPushBatch(limit: limit, now: now())
            } catch {
                throw SyncError(.schema, "cannot read the outbox: \(error)")
            }
            guard !batch.isEmpty else {
                report.drained = true
                return
            }
            report.sent += batch.count
            let result: CentralAPI.OperationBatchResult
            do {
                result = try await send(batch)
            } catch  where error.refusesContent {
                guard batch.count == 1, let entry = batch.first else {
                    logger.notice(
                        "The central API refused a batch for what it carries; sending it in halves to find the entry at fault",
                        metadata: ["push.batch": "\(batch.count)", "error": "\(error)"]
                    )
                    limit = batch.count / 2
                    continue
                }
                guard entry.attempts == 0, refusedInARow < 3 else {
                    try? store.recordPushFailure(
                        idempotencyKeys: [entry.operation.idempotencyKey],
                        error: error.message,
                        retryAt: now().addingTimeInterval(policy.cap.seconds),
                        countingAttempt: false
                    )
                    throw error
                }
                refusedInARow += 1
                do {
                    try store.deadLetterRefused(idempotencyKey: entry.operation.idempotencyKey, reason: error.message, now: now())
                } catch {
                    throw SyncError(.schema, "cannot record a refused operation: \(error)")
                }
                report.refused += 1
                logger.warning(
                    "The central API refused an operation; it waits for a person as a conflict and the others go on",
                    metadata: [
                        "operation.type": "\(entry.operation.kind.rawValue)", "operation.entity": "\(entry.operation.entityID)",
                        "error": "\(error)",
                    ]
                )
                limit = batchSize
                continue
            } catch {
                let failures = batch.first?.attempts ?? 0
                let delay = policy.delay(afterFailures: failures, retryAfter: error.retryAfter)
                try? store.recordPushFailure(
                    idempotencyKeys: batch.map(\.operation.idempotencyKey),
                    error: error.message,
                    retryAt: now().addingTimeInterval(delay.seconds)
                )
                throw error
            }
            let answers = result.results.map {
                PushAnswer(
                    idempotencyKey: $0.idempotencyKey,
                    status: $0.status,
                    version: $0.version,
                    reason: $0.reason,
                    entity: $0.entity.flatMap { try? String(decoding: JSONEncoder().encode($0), as: UTF8.self) }
                )
            }
            do {
                try store.recordPushAnswers(answers, now: now())
            } catch {
                throw SyncError(.schema, "cannot record the push answers: \(error)")
            }
            limit = batchSize
            let confirmed = answers.filter { $0.status == .applied || $0.status == .duplicate }.count
            if refusedInARow > 0, confirmed > 0 {
                refusedInARow = 0
                try? store.recordSyncState([.pushRefusedInARow: nil], now: now())
            }
            report.confirmed += confirmed
            report.refused += answers.filter { $0.status == .conflict || $0.status == .rejected }.count
            if let error = result.error {
                // The central API stopped the batch (a sequence gap): back off and say so.
                let unanswered = batch.dropFirst(result.results.count).map(\.operation.idempotencyKey)
                try? store.recordPushFailure(
                    idempotencyKeys: unanswered,
                    error: "\(error.code): \(error.message)",
                    retryAt: now().addingTimeInterval(policy.delay(afterFailures: batch.first?.attempts ?? 0).seconds)
                )
                throw SyncError(.conflict, "the central API stopped the batch: \(error.code): \(error.message)")
            }
        }
    }

    private func send(_ batch: [OutboxEntry]) async throws(SyncError) -> CentralAPI.OperationBatchResult {
        let body: [UInt8]
        do {
            body = try Self.body(of: batch.map(\.operation))
        } catch {
            throw SyncError(.schema, "an outbox entry's payload is not valid JSON: \(error); run `waybill doctor`")
        }
        let response = try await client.send("POST", "/v1/ops", body: body)
        do {
            return try JSONDecoder().decode(CentralAPI.OperationBatchResult.self, from: Data(response.body))
        } catch {
            throw SyncError(
                .schema,
                "the ops answer is not valid JSON (\(response.body.count) bytes); the batch will be sent again",
                status: response.status
            )
        }
    }

    /// The `POST /v1/ops` body for `operations`, encoded through the contract's types in canonical
    /// JSON: the same entries give the same bytes in every process, so a retry is byte-identical to
    /// the first attempt. Each stored payload is canonical already and comes out as it was stored.
    static func body(of operations: [OutboxOperation]) throws -> [UInt8] {
        let batch = CentralAPI.OperationBatch(
            ops: try operations.map { operation in
                CentralAPI.Operation(
                    stationID: operation.stationID.rawValue,
                    epoch: operation.epoch,
                    seq: operation.seq,
                    idempotencyKey: operation.idempotencyKey,
                    type: operation.kind.rawValue,
                    entityID: operation.entityID,
                    baseVersion: operation.baseVersion,
                    payload: try JSONDecoder().decode(JSONValue.self, from: Data(operation.payload.utf8))
                )
            }
        )
        return Array(try CanonicalJSON.encode(batch))
    }
}
