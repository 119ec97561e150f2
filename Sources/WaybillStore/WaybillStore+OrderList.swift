import GRDB
public import WaybillCore

/// One line of `waybill orders list`.
public struct OrderSummary: Sendable, Hashable, Codable {
    public let id: String
    public let state: String
    public let reference: String
    public let version: Int
    /// Boxes of its plan (0 before planning).
    public let boxes: Int
    /// Conflicts about it that need a person.
    public let openConflicts: Int

    enum CodingKeys: String, CodingKey {
        case id, state, reference, version, boxes
        case openConflicts = "open_conflicts"
    }
}

extension WaybillStore {
    /// Orders of the replica, optionally in one state, by id.
    public func orderSummaries(state: OrderState? = nil, limit: Int = 500) throws -> [OrderSummary] {
        try read("list orders") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.state, o.version, ifnull(json_extract(o.data, '$.reference'), '') AS reference,
                           ifnull((SELECT box_count FROM shipments s WHERE s.order_id = o.id), 0) AS boxes,
                           (SELECT count(*) FROM conflicts c WHERE c.entity_id = o.id AND c.state = 'needs_person') AS open_conflicts
                    FROM orders o WHERE ?1 IS NULL OR o.state = ?1 ORDER BY o.id LIMIT ?2
                    """,
                arguments: [state?.rawValue, limit]
            ).map {
                OrderSummary(
                    id: $0["id"],
                    state: $0["state"],
                    reference: $0["reference"],
                    version: $0["version"],
                    boxes: $0["boxes"],
                    openConflicts: $0["open_conflicts"]
                )
            }
        }
    }
}
