import Foundation
public import WaybillCore
public import WaybillStore

/// A valid payload of `kind` for tests that need an operation, not its content: an empty plan for
/// `pack`, one box for `label_request`, an empty object for `claim` and `ship` (and an unknown type).
public func samplePayload(_ kind: OperationKind?, entity: String) -> any OperationPayload {
    switch kind {
    case .pack: Shipment(orderID: entity, revision: 1, boxes: [], totalCost: 0, plannedBy: "test")
    case .labelRequest: CentralAPI.LabelRequestPayload(boxes: 1)
    case .printed: CentralAPI.PrintedPayload(labelID: "BL-\(entity)-1", kind: "box", boxNo: 1, printer: "zebra")
    case .reprint: CentralAPI.ReprintPayload(labelID: "BL-\(entity)-2", reprintOf: "BL-\(entity)-1", boxNo: 1, reason: "test")
    case .voidLabel: CentralAPI.VoidLabelPayload(conflictID: 1, rule: "relabel")
    case .resolveConflict: CentralAPI.ResolveConflictPayload(conflictID: 1, keep: "local", rule: "order_edited", note: "")
    case .stockDelta: CentralAPI.StockDeltaPayload(sku: entity, location: "A", delta: -1)
    case .weigh:
        CentralAPI.WeighPayload(
            boxNo: 1,
            measuredLb: 1,
            expectedLb: 1,
            allowedLb: 0.5,
            source: "scale",
            verdict: "within",
            overrideReason: nil,
            packer: "test"
        )
    case .verify: CentralAPI.VerifyPayload(boxNo: 1, gesture: "scan", text: entity, sku: nil, units: 1, outcome: "counted", packer: "test")
    case .claim, .ship, nil: CentralAPI.EmptyPayload()
    }
}

extension OperationPayload {
    /// The payload as a ``JSONValue`` (for operations sent to a hub by hand).
    public var jsonValue: JSONValue {
        // A payload type always encodes, and its JSON always decodes as a JSONValue.
        (try? JSONDecoder().decode(JSONValue.self, from: CanonicalJSON.encode(self))) ?? .object([:])
    }
}

extension WaybillStore {
    /// ``recordOrderTransition(orderID:to:kind:payload:now:)`` with ``samplePayload(_:entity:)``:
    /// moves an order as a test needs it, with a valid operation for the central API.
    @discardableResult
    public func recordSampleTransition(orderID: String, to next: OrderState, kind: OperationKind) throws -> OutboxOperation {
        try recordOrderTransition(orderID: orderID, to: next, kind: kind, payload: samplePayload(kind, entity: orderID))
    }
}
