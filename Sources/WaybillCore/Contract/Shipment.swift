/// An order's shipment: the parent of its boxes, and the payload of its `pack` operation.
public struct Shipment: OperationPayload {
    public var orderID: String
    /// 1 for the first plan, one more for each re-plan.
    public var revision: Int
    public var boxes: [PlannedBox]
    public var totalCost: Double
    /// Who planned it (`auto`, or the operator's name).
    public var plannedBy: String

    public init(orderID: String, revision: Int, boxes: [PlannedBox], totalCost: Double, plannedBy: String) {
        self.orderID = orderID
        self.revision = revision
        self.boxes = boxes
        self.totalCost = totalCost
        self.plannedBy = plannedBy
    }

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id"
        case revision, boxes
        case totalCost = "total_cost"
        case plannedBy = "planned_by"
    }
}
