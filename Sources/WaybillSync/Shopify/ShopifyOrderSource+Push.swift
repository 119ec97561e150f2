public import Foundation
import WaybillCore
import WaybillStore

/// The push half of ``ShopifyOrderSource``: `claim` accepts the fulfillment request, `ship` creates
/// the fulfillment exactly once, every other operation is the station's own record.
extension ShopifyOrderSource {
    public func push(now: @escaping @Sendable () -> Date, into report: inout PushEngine.Report) async throws(SyncError) {
        while true {
            let batch: [OutboxEntry]
            do {
                report.held += try store.holdDependents(now: now())
                // Shopify keeps no sequence: each order's operations in order, the others past one that waits.
                batch = try store.duePushEntries(limit: 50, now: now())
            } catch {
                throw SyncError(.schema, "cannot read the outbox: \(error)")
            }
            guard !batch.isEmpty else {
                report.drained = true
                return
            }
            for entry in batch {
                report.sent += 1
                let answer: PushAnswer
                do {
                    answer = try await send(entry)
                } catch {
                    let retryAt = now().addingTimeInterval(policy.delay(afterFailures: entry.attempts, retryAfter: error.retryAfter).seconds)
                    // No answer, a failing or throttling store, the token refused: every request would
                    // fail alike; the push stops. Anything else is this operation's: it waits, and after
                    // three tries (or refused as it is) it is a dead letter a person sees.
                    if [.transport, .httpStatus, .authentication].contains(error.code) {
                        try? store.recordPushFailure(idempotencyKeys: [entry.operation.idempotencyKey], error: error.message, retryAt: retryAt)
                        throw error
                    }
                    // Recorded, or the push stops: an entry left as it was would be due again at once.
                    do {
                        if error.code == .refused || entry.attempts >= 2 {
                            // A ship's retries read the order's fulfillments first, and a claim's answer an accepted
                            // order as done: one applied unseen comes back as a duplicate, not as this failure.
                            try store.deadLetterFailed(idempotencyKey: entry.operation.idempotencyKey, reason: error.message, now: now())
                            report.refused += 1
                        } else {
                            try store.recordPushFailure(idempotencyKeys: [entry.operation.idempotencyKey], error: error.message, retryAt: retryAt)
                        }
                    } catch {
                        throw SyncError(
                            .schema,
                            "cannot record what Shopify answered to \(entry.operation.kind.rawValue) of \(entry.operation.entityID): \(error)"
                        )
                    }
                    logger.warning(
                        "Shopify could not take an operation; the others go on",
                        metadata: [
                            "operation.type": "\(entry.operation.kind.rawValue)", "order.id": "\(entry.operation.entityID)", "error": "\(error)",
                        ]
                    )
                    continue
                }
                do {
                    try store.recordPushAnswers([answer], now: now())
                } catch {
                    throw SyncError(.schema, "cannot record Shopify's answer: \(error)")
                }
                if answer.status == .applied || answer.status == .duplicate { report.confirmed += 1 } else { report.refused += 1 }
            }
        }
    }

    /// What Shopify says to one operation (or the station itself, for its own records).
    private func send(_ entry: OutboxEntry) async throws(SyncError) -> PushAnswer {
        let operation = entry.operation
        func answer(_ status: CentralAPI.OperationStatus, _ reason: String? = nil) -> PushAnswer {
            PushAnswer(idempotencyKey: operation.idempotencyKey, status: status, version: nil, reason: reason, entity: nil)
        }
        guard let gid = ShopifyOrderMapping.fulfillmentOrderID(orderID: operation.entityID) else { return answer(.applied) }
        switch operation.kind {
        case .claim:
            let payload = try await client.run(
                .acceptFulfillmentRequest,
                variables: ShopifyAPI.IDVariables(id: gid),
                as: ShopifyAPI.AcceptFulfillmentRequestData.self
            ).fulfillmentOrderAcceptFulfillmentRequest
            guard let payload, !payload.userErrors.isEmpty else { return answer(.applied) }
            // Accepted before (a retry whose first answer was lost) is done: the order is in progress.
            if let order = try await fulfillmentOrder(gid), ["IN_PROGRESS", "CLOSED"].contains(order.status) { return answer(.duplicate) }
            return answer(
                .rejected,
                "Shopify refused to accept the fulfillment request: " + payload.userErrors.map(\.message).joined(separator: "; ")
            )
        case .ship:
            return try await fulfil(entry, gid: gid, answer: answer)
        default:
            return answer(.applied)
        }
    }

    /// Creates the fulfillment of a shipped order exactly once.
    private func fulfil(
        _ entry: OutboxEntry,
        gid: String,
        answer: (CentralAPI.OperationStatus, String?) -> PushAnswer
    ) async throws(SyncError) -> PushAnswer {
        let labels: [CentralAPI.LabelData]
        do {
            // Voided labels are not the parcel's; one whose void the provider refused still is.
            let voided = Set(try store.providerVoids(orderID: entry.operation.entityID).filter { $0.state != "refused" }.map(\.labelID))
            labels = try store.carrierLabels(orderID: entry.operation.entityID).filter { !voided.contains($0.labelID) }
        } catch {
            throw SyncError(.schema, "cannot read the carrier labels of \(entry.operation.entityID): \(error)")
        }
        let numbers = labels.sorted { $0.boxNo < $1.boxNo }.map(\.trackingNumber)
        guard !numbers.isEmpty else { return answer(.rejected, "order \(entry.operation.entityID) shipped without a carrier label to report") }
        if entry.attempts > 0, try await fulfilledAlready(gid, numbers: numbers) { return answer(.duplicate, nil) }
        let payload = try await client.run(
            .fulfillmentCreate,
            variables: ShopifyAPI.FulfillmentVariables(
                fulfillment: ShopifyAPI.FulfillmentInput(
                    lineItemsByFulfillmentOrder: [.init(fulfillmentOrderId: gid)],
                    trackingInfo: .init(company: labels.first?.carrier ?? "Other", numbers: numbers),
                    notifyCustomer: settings.notifyCustomer
                )
            ),
            as: ShopifyAPI.FulfillmentCreateData.self,
            // No idempotency key: never on a reused connection libcurl might silently send it on again.
            freshConnection: true
        ).fulfillmentCreate
        guard let payload, !payload.userErrors.isEmpty else { return answer(.applied, nil) }
        // Refused by the order's state: fulfilled by an attempt whose answer was lost (a crash before
        // it was recorded) is done; otherwise Shopify's words go to a person.
        if try await fulfilledAlready(gid, numbers: numbers) { return answer(.duplicate, nil) }
        return answer(.rejected, "Shopify refused the fulfillment: " + payload.userErrors.map(\.message).joined(separator: "; "))
    }

    /// Whether the fulfillment order was fulfilled by the station already: a successful fulfillment
    /// carries all of `numbers`, or (the labels replaced since) the order is closed by a successful
    /// fulfillment that carries one of them.
    private func fulfilledAlready(_ gid: String, numbers: [String]) async throws(SyncError) -> Bool {
        guard let order = try await fulfillmentOrder(gid) else { return false }
        let ours = Set(numbers)
        let successful = order.fulfillments.edges.map(\.node).filter { $0.status == "SUCCESS" }.map { Set($0.trackingInfo.compactMap(\.number)) }
        return successful.contains { ours.isSubset(of: $0) } || (order.status == "CLOSED" && successful.contains { !$0.isDisjoint(with: ours) })
    }

    /// A fulfillment order's status and fulfillments.
    private func fulfillmentOrder(_ gid: String) async throws(SyncError) -> ShopifyAPI.FulfillmentOrderFulfillments.Node? {
        try await client.run(
            .fulfillmentOrderFulfillments,
            variables: ShopifyAPI.IDVariables(id: gid),
            as: ShopifyAPI.FulfillmentOrderFulfillments.self
        ).fulfillmentOrder
    }
}
