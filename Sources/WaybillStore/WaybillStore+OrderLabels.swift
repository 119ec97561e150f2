import GRDB
public import WaybillCore

/// One label recorded for an order's box, and where its printing stands.
public struct OrderLabel: Sendable, Hashable {
    public let labelID: String
    public let boxNo: Int
    public let kind: LabelToPrint.Kind
    /// The state of its print job; nil while it has none (recorded, not yet spooled).
    public let printState: PrintJobState?
    /// Whether a conflict voided it (carrier labels only).
    public let voided: Bool
    /// Whether it was replaced (box labels and packing slips: it showed the old address, or the
    /// boxes were planned again; another issue prints in its place).
    public let replaced: Bool
}

extension WaybillStore {
    /// Every label recorded for order `orderID` (box labels, packing slips, carrier labels), by box
    /// and kind, with its print job's state. Reprints are not listed (see ``recentPrintJobs(limit:)``).
    public func orderLabels(orderID: String) throws -> [OrderLabel] {
        try read("list the labels of order \(orderID)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.box_no, l.kind, p.state, l.id IN (SELECT label_id FROM voided_labels) AS voided,
                           l.replaced IS NOT NULL AS replaced
                    FROM labels l LEFT JOIN print_jobs p ON p.label_id = l.id
                    WHERE l.order_id = ? ORDER BY l.box_no, l.kind, l.id
                    """,
                arguments: [orderID]
            ).map { row in
                guard let kind = LabelToPrint.Kind(rawValue: row["kind"]) else {
                    throw StoreError(.database, "label \(row["id"] as String) has an unknown kind '\(row["kind"] as String)'")
                }
                return OrderLabel(
                    labelID: row["id"],
                    boxNo: row["box_no"],
                    kind: kind,
                    printState: (row["state"] as String?).flatMap(PrintJobState.init(rawValue:)),
                    voided: row["voided"],
                    replaced: row["replaced"]
                )
            }
        }
    }
}

extension WaybillStore {
    /// Why box label or packing slip `labelID` was replaced (a relabel or an address change issued
    /// it again: it shows the old address; or the boxes were planned again), or nil when it is
    /// current (or not a box document).
    public func replacement(ofDocument labelID: String) throws -> String? {
        try read("read label \(labelID)") { db in
            try String.fetchOne(db, sql: "SELECT replaced FROM labels WHERE id = ?", arguments: [labelID])
        }
    }
}
