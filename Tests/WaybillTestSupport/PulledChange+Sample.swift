import Foundation
import WaybillCore
public import WaybillStore

extension PulledChange {
    /// The feed change of a small general SKU (`id`, named `name`, 4x3x2 in, 1 lb, location A)
    /// whose unit barcode is `barcode`, as tests put one into a replica.
    public static func sampleSKU(_ id: String, name: String? = nil, barcode: String) throws -> PulledChange {
        let sku = CentralAPI.SKUData(
            id: id,
            name: name ?? "Item \(id)",
            dims: [4, 3, 2],
            weightLb: 1,
            location: "A",
            shipAlone: false,
            keepUpright: false,
            mixClass: "general",
            barcodes: [.init(code: barcode)]
        )
        return PulledChange(entity: "sku", id: id, version: 1, op: "upsert", data: String(decoding: try JSONEncoder().encode(sku), as: UTF8.self))
    }
}
