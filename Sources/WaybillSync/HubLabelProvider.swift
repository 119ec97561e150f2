public import Foundation
public import WaybillCore
import WaybillHTTP
public import WaybillStore

/// Labels bought from the central hub (`POST /v1/labels`) under the purchase's Idempotency-Key: a
/// retry, from this process or a restarted one, is byte-identical and answered with the first label.
public struct HubLabelProvider: LabelProvider {
    let client: CentralClient

    public init(client: CentralClient) {
        self.client = client
    }

    public var name: String { "hub" }
    public var voidsDirectly: Bool { false }
    public var isCentralAPI: Bool { true }

    /// The hub learns of voids through the order's `void_label` operation; nothing to ask here.
    public func settle(_ abandoned: AbandonedLabelAttempt) async throws(SyncError) -> AbandonedLabelOutcome {
        .voided("the hub voids the order's labels with its void_label operation")
    }

    /// None of its own: the hub's rate table is in the replica, and its `/v1/rates` prices from it.
    public func prices(of parcel: RateParcel) async throws(SyncError) -> [String: Double]? { nil }

    public var pricingAccount: String { "hub" }

    public func buy(_ due: LabelPurchaseDue, now: Date) async throws(SyncError) -> LabelPurchaseOutcome {
        let body: [UInt8]
        do {
            // Canonical: a retry (from this process or a restarted one) is byte-identical to the first request.
            body = Array(try CanonicalJSON.encode(due.purchase))
        } catch {
            throw SyncError(.schema, "cannot encode a label purchase: \(error)")
        }
        let response = try await client.send(
            "POST",
            "/v1/labels",
            body: body,
            headers: [(name: "Idempotency-Key", value: due.idempotencyKey)],
            accepting: [409, 422]
        )
        guard response.status == 200 else {
            let reason = CentralClient.code(of: response).map { "\(response.status) \($0)" } ?? "\(response.status)"
            return .refused("the hub refused the label (\(reason)): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
        do {
            let label = try JSONDecoder().decode(CentralAPI.LabelData.self, from: Data(response.body))
            return .bought(label, json: String(decoding: response.body, as: UTF8.self))
        } catch {
            throw SyncError(
                .schema,
                "the label answer for order \(due.purchase.orderID) is unusable: \(error); it will be bought again under the same key",
                status: response.status
            )
        }
    }

    public func void(_ due: ProviderVoidDue) async throws(SyncError) -> ShipEngineAPI.VoidResult {
        // Never called (voidsDirectly is false): the hub voids on the `void_label` operation.
        ShipEngineAPI.VoidResult(approved: true, message: "voided through the void_label operation")
    }
}
