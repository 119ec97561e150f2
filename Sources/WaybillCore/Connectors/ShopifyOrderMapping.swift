/// How a Shopify fulfillment order becomes one of the station's orders, and back: pure rules the
/// storefront connector applies before anything enters the replica (where the same contract checks
/// as the hub's feed run on the result).
public enum ShopifyOrderMapping {
    static let fulfillmentOrderPrefix = "gid://shopify/FulfillmentOrder/"

    /// The station's order id of a fulfillment order: `gid://shopify/FulfillmentOrder/1046001474` →
    /// `FO-1046001474`; nil for an id of another shape.
    public static func orderID(fulfillmentOrderID gid: String) -> String? {
        guard gid.hasPrefix(fulfillmentOrderPrefix) else { return nil }
        let number = gid.dropFirst(fulfillmentOrderPrefix.count)
        guard (1...19).contains(number.count), number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber) else { return nil }
        return "FO-\(number)"
    }

    /// The fulfillment order of a station's order id (`FO-1046001474`), or nil.
    public static func fulfillmentOrderID(orderID: String) -> String? {
        guard orderID.hasPrefix("FO-") else { return nil }
        let number = orderID.dropFirst(3)
        guard (1...19).contains(number.count), number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber) else { return nil }
        return fulfillmentOrderPrefix + number
    }

    /// The central state a fulfillment order means for the station that fulfils its location; nil
    /// when it is not the station's work (not requested yet, rejected, on hold, scheduled, closed).
    public static func state(status: String, requestStatus: String) -> OrderState? {
        switch (status, requestStatus) {
        case (_, "CANCELLATION_REQUESTED"), ("CANCELLED", _): .cancelled
        case ("OPEN", "SUBMITTED"): .assigned
        case ("IN_PROGRESS", "ACCEPTED"), ("OPEN", "ACCEPTED"): .claimed
        case ("CLOSED", "ACCEPTED"), ("CLOSED", "CLOSED"): .shipped
        default: nil
        }
    }

    /// Why a fulfillment order cannot become an order.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The order a fulfillment order is, for `stationID`; its `contentVersion` is left 0 for the
    /// connector to set (it knows the replica's copy). `lineItems` are all its line items (the page's
    /// and any read after); `skuID` finds the catalog's SKU of a variant SKU or barcode.
    public static func order(
        _ fulfillmentOrder: ShopifyAPI.FulfillmentOrder,
        state: OrderState,
        lineItems: [ShopifyAPI.LineItem],
        stationID: String,
        warehouse: String,
        zones: [String: Int],
        skuID: (String) -> String?
    ) -> Result<CentralAPI.OrderData, Problem> {
        guard let id = orderID(fulfillmentOrderID: fulfillmentOrder.id) else {
            return .failure(Problem(message: "fulfillment order id \(fulfillmentOrder.id.prefix(80)) is not a Shopify FulfillmentOrder id"))
        }
        guard let destination = fulfillmentOrder.destination else {
            return .failure(Problem(message: "fulfillment order \(id) has no destination to ship to"))
        }
        let name = [destination.firstName, destination.lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        guard let street = destination.address1, !street.isEmpty, let city = destination.city, !city.isEmpty,
            let country = destination.countryCode, !country.isEmpty
        else {
            return .failure(Problem(message: "fulfillment order \(id)'s destination lacks address1, city or countryCode"))
        }
        var lines: [CentralAPI.Line] = []
        for item in lineItems where item.remainingQuantity > 0 {
            let codes = [item.variant?.sku, item.sku, item.variant?.barcode].compactMap { $0 }.filter { !$0.isEmpty }
            guard let sku = codes.lazy.compactMap(skuID).first else {
                return .failure(
                    Problem(
                        message: "line item \(item.id.prefix(80)) of \(id) (SKU \(codes.first?.prefix(40) ?? "none")) matches no SKU of the catalog "
                            + "by SKU or barcode; add it to the catalog"
                    )
                )
            }
            lines.append(CentralAPI.Line(lineNo: lines.count + 1, sku: sku, quantity: item.remainingQuantity))
        }
        guard !lines.isEmpty else { return .failure(Problem(message: "fulfillment order \(id) has nothing left to fulfil")) }
        return .success(
            CentralAPI.OrderData(
                id: id,
                state: state.rawValue,
                stationID: stationID,
                claimedBy: state == .assigned ? nil : stationID,
                warehouse: warehouse,
                reference: fulfillmentOrder.order.name,
                serviceLevel: "cheapest",
                residential: (destination.company ?? "").isEmpty,
                shipTo: CentralAPI.Address(
                    name: name.isEmpty ? (destination.company ?? "") : name,
                    company: destination.company.flatMap { $0.isEmpty ? nil : $0 },
                    street1: street,
                    street2: destination.address2.flatMap { $0.isEmpty ? nil : $0 },
                    city: city,
                    region: destination.province ?? "",
                    postalCode: destination.zip ?? "",
                    country: country,
                    phone: destination.phone
                ),
                lines: lines,
                zones: zones,
                contentVersion: 0
            )
        )
    }
}
