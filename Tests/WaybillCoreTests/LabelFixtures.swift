import WaybillCore

/// Labels and slips for renderer tests, with every customer text field set to one value when asked.
enum LabelFixtures {
    static func address(_ text: String? = nil) -> LabelAddress {
        LabelAddress(
            name: text ?? "Ada Lovelace",
            lines: [text ?? "12 Analytical Row", text ?? "Flat 3"],
            city: text ?? "London",
            region: text ?? "",
            postalCode: text ?? "NW1 6XE",
            country: text ?? "GB"
        )
    }

    static func label(_ text: String? = nil, tracking: Bool = true) -> ShippingLabel {
        ShippingLabel(
            id: BarcodeID(rawValue: "L-000123-1")!,
            shipFrom: LabelAddress(name: text ?? "Waybill DC", lines: [text ?? "1 Dock Rd"], city: "Leeds", postalCode: "LS1 1AA", country: "GB"),
            shipTo: address(text),
            service: text ?? "Ground",
            weightGrams: 1250,
            boxNumber: 2,
            boxCount: 3,
            orderReference: text ?? "PO-7781",
            tracking: tracking ? BarcodeID(rawValue: "1Z999AA10123456784") : nil,
            boxID: BarcodeID(rawValue: "BOX-000123-2")!
        )
    }

    static func slip(_ text: String? = nil, lines: Int = 3) -> PackingSlip {
        PackingSlip(
            id: BarcodeID(rawValue: "S-000123-2")!,
            shipTo: address(text),
            orderReference: text ?? "PO-7781",
            boxNumber: 2,
            boxCount: 3,
            boxID: BarcodeID(rawValue: "BOX-000123-2")!,
            lines: (0..<lines).map { PackingSlip.Line(sku: text ?? "SKU-\($0)", description: text ?? "Widget \($0)", quantity: $0 + 1) }
        )
    }
}
