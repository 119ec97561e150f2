public import Foundation
public import Logging
import WaybillCore
public import WaybillHTTP
public import WaybillStore

/// Pushes the outbox in (epoch, seq) order; an entry leaves it only when the central API answers
/// applied or duplicate. Refused entries are dead-lettered with a visible conflict; later entries of
/// the same entity are held; everything else goes on.
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
        while true {
            let batch: [OutboxEntry]
            do {
                report.held += try store.holdDependents(now: now())
                batch = try store.nextPushBatch(limit: batchSize, now: now())
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
            report.confirmed += answers.filter { $0.status == .applied || $0.status == .duplicate }.count
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
        var body: [UInt8] = Array(#"{"ops":["#.utf8)
        for (index, entry) in batch.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            let op = entry.operation
            body.append(
                contentsOf: """
                    {"station_id":\(JSONStringLiteral.quote(op.stationID.rawValue)),"epoch":\(op.epoch),"seq":\(op.seq),\
                    "idempotency_key":\(JSONStringLiteral.quote(op.idempotencyKey)),"type":"\(op.kind.rawValue)","entity_id":\(JSONStringLiteral.quote(op.entityID)),\
                    "base_version":\(op.baseVersion.map(String.init) ?? "null"),"payload":\(op.payload)}
                    """.utf8
            )
        }
        body.append(contentsOf: "]}".utf8)
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
}
