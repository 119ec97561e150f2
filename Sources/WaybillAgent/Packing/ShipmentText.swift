import Foundation
import WaybillCore
import WaybillStore

extension Shipment {
    /// One line per box, as `waybill pack` and `waybill orders show` print them.
    var boxLines: [String] {
        boxes.map { box in
            String(
                format: "  box %d: %@ via %@, %.2f lb, postage %.2f + material %.2f",
                box.boxNo,
                box.boxID,
                box.service,
                box.grossLb,
                box.postage,
                box.materialCost
            ) + "  items \(box.items.map(\.id).joined(separator: " "))"
        }
    }
}
