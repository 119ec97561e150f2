/// The documents a station prints for one box of a planned order, rendered locally so they print
/// even offline: the box label (for the thermal label printer) and the packing slip (for the
/// document printer).
public enum BoxDocuments {
    /// A generated id from parts joined with `-`: the parts as they are when they fit a barcode id
    /// (1-40 of `A-Z 0-9 -`); otherwise a readable prefix (upper-cased, anything else as `-`) and
    /// 10 hex digits of the XXH64 of the parts, so two different inputs never share an id (an order
    /// `a.1` and an order `A_1`, or the box label and the slip of an order with a long id).
    public static func id(_ parts: String...) -> BarcodeID {
        let joined = parts.joined(separator: "-")
        if let plain = BarcodeID(rawValue: joined) { return plain }
        let readable = String(
            joined.uppercased().unicodeScalars.map { scalar -> Character in
                ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" ? Character(scalar) : "-"
            }
        )
        let digest = Array(joined.utf8).withUnsafeBytes { FeedChecksum.xxh64($0) }
        let hex = String(String(digest, radix: 16, uppercase: true).suffix(10))
        let suffix = String(repeating: "0", count: 10 - hex.count) + hex
        return BarcodeID(rawValue: String(readable.prefix(29)) + "-" + suffix) ?? BarcodeID(rawValue: "X-" + suffix)!
    }

    /// The box label's id: `BX-<order>-<box>`, and `BX-<order>-<box>-I<issue>` when it is issued
    /// again (a relabel: the first showed the old address).
    public static func labelID(orderID: String, boxNumber: Int, issue: Int = 1) -> BarcodeID {
        documentID("BX", orderID, boxNumber, issue: issue)
    }

    /// The packing slip's id: `PS-<order>-<box>`, and `PS-<order>-<box>-I<issue>` when it is issued again.
    public static func slipID(orderID: String, boxNumber: Int, issue: Int = 1) -> BarcodeID {
        documentID("PS", orderID, boxNumber, issue: issue)
    }

    /// `<kind>-<order>-<box>`, with `-I<issue>` from the second issue on.
    private static func documentID(_ kind: String, _ orderID: String, _ boxNumber: Int, issue: Int) -> BarcodeID {
        issue > 1 ? id(kind, orderID, String(boxNumber), "I\(issue)") : id(kind, orderID, String(boxNumber))
    }

    /// A label address from the central API's address.
    public static func address(_ address: CentralAPI.Address) -> LabelAddress {
        LabelAddress(
            name: [address.name, address.company].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " / "),
            lines: [address.street1, address.street2].compactMap { $0 }.filter { !$0.isEmpty },
            city: address.city,
            region: address.region,
            postalCode: address.postalCode,
            country: address.country
        )
    }

    /// The station's box label for box `boxNumber` of `boxCount` (its `issue`: see ``labelID(orderID:boxNumber:issue:)``).
    public static func boxLabel(
        order: CentralAPI.OrderData,
        boxNumber: Int,
        boxCount: Int,
        service: String,
        grossLb: Double,
        shipFrom: LabelAddress,
        issue: Int = 1
    ) -> ShippingLabel {
        ShippingLabel(
            id: labelID(orderID: order.id, boxNumber: boxNumber, issue: issue),
            shipFrom: shipFrom,
            shipTo: address(order.shipTo),
            service: service,
            weightGrams: Int((grossLb * 453.59237).rounded()),
            boxNumber: boxNumber,
            boxCount: boxCount,
            orderReference: order.reference,
            tracking: nil,
            boxID: id(order.id, "B\(boxNumber)")
        )
    }

    /// The packing slip of a box: its units grouped back into the order's lines.
    ///
    /// - Parameter itemIDs: the planner's item ids, `<line_no>-<unit>` (see `PackingInstance.init(order:skus:boxes:rules:)`).
    /// - Parameter skuNames: SKU descriptions by SKU id (a missing one prints as the SKU id).
    /// - Parameter issue: see ``slipID(orderID:boxNumber:issue:)``.
    public static func packingSlip(
        order: CentralAPI.OrderData,
        boxNumber: Int,
        boxCount: Int,
        itemIDs: [String],
        skuNames: [String: String],
        issue: Int = 1
    ) -> PackingSlip {
        var quantities: [Int: Int] = [:]
        for item in itemIDs {
            if let line = item.split(separator: "-").first.flatMap({ Int($0) }) { quantities[line, default: 0] += 1 }
        }
        let lines = order.lines.compactMap { line -> PackingSlip.Line? in
            guard let quantity = quantities[line.lineNo] else { return nil }
            return PackingSlip.Line(sku: line.sku, description: skuNames[line.sku] ?? line.sku, quantity: quantity)
        }
        return PackingSlip(
            id: slipID(orderID: order.id, boxNumber: boxNumber, issue: issue),
            shipTo: address(order.shipTo),
            orderReference: order.reference,
            boxNumber: boxNumber,
            boxCount: boxCount,
            boxID: id(order.id, "B\(boxNumber)"),
            lines: lines
        )
    }
}
