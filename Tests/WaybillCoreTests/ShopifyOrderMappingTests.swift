import Testing
import WaybillCore

/// How Shopify's fulfillment orders read as the station's orders.
@Suite struct ShopifyOrderMappingTests {
    @Test func ids_roundTrip_andRefuseOtherShapes() {
        #expect(ShopifyOrderMapping.orderID(fulfillmentOrderID: "gid://shopify/FulfillmentOrder/1046001474") == "FO-1046001474")
        #expect(ShopifyOrderMapping.fulfillmentOrderID(orderID: "FO-1046001474") == "gid://shopify/FulfillmentOrder/1046001474")
        for bad in [
            "gid://shopify/Order/1", "gid://shopify/FulfillmentOrder/../1", "gid://shopify/FulfillmentOrder/", "gid://shopify/FulfillmentOrder/١٢",
        ] {
            #expect(ShopifyOrderMapping.orderID(fulfillmentOrderID: bad) == nil, "\(bad)")
        }
        #expect(ShopifyOrderMapping.fulfillmentOrderID(orderID: "O-000001") == nil)
    }

    @Test(arguments: [
        ("OPEN", "SUBMITTED", OrderState?.some(.assigned)),
        ("IN_PROGRESS", "ACCEPTED", .claimed),
        ("OPEN", "CANCELLATION_REQUESTED", .cancelled),
        ("IN_PROGRESS", "CANCELLATION_REQUESTED", .cancelled),
        ("CANCELLED", "CANCELLATION_ACCEPTED", .cancelled),
        ("OPEN", "UNSUBMITTED", nil),
        ("OPEN", "REJECTED", nil),
        ("ON_HOLD", "SUBMITTED", nil),
        ("SCHEDULED", "SUBMITTED", nil),
    ])
    func states(status: String, requestStatus: String, expected: OrderState?) {
        #expect(ShopifyOrderMapping.state(status: status, requestStatus: requestStatus) == expected)
    }

    static let node = ShopifyAPI.FulfillmentOrder(
        id: "gid://shopify/FulfillmentOrder/7",
        status: "OPEN",
        requestStatus: "SUBMITTED",
        updatedAt: "2026-01-01T00:00:00Z",
        order: .init(id: "gid://shopify/Order/7", name: "#1007"),
        destination: .init(
            firstName: "Ada",
            lastName: "Lovelace",
            company: nil,
            address1: "1 Main St",
            address2: "",
            city: "Springfield",
            province: "IL",
            zip: "62701",
            countryCode: "US",
            phone: nil
        ),
        lineItems: .init(edges: [], pageInfo: .init(hasNextPage: false, endCursor: nil))
    )

    @Test func lineItems_mapBySKUOrBarcode_andDoneLinesAreLeftOut() throws {
        let items = [
            ShopifyAPI.LineItem(id: "a", totalQuantity: 2, remainingQuantity: 2, sku: "SKU-1", variant: .init(sku: "SKU-1", barcode: nil)),
            ShopifyAPI.LineItem(id: "b", totalQuantity: 1, remainingQuantity: 1, sku: nil, variant: .init(sku: nil, barcode: "4006381333931")),
            ShopifyAPI.LineItem(id: "c", totalQuantity: 3, remainingQuantity: 0, sku: "SKU-3", variant: nil),
        ]
        let codes = ["SKU-1": "SKU-1", "4006381333931": "SKU-2", "SKU-3": "SKU-3"]
        let order = try ShopifyOrderMapping.order(
            Self.node,
            state: .assigned,
            lineItems: items,
            stationID: "station-1",
            warehouse: "gid://shopify/Location/1",
            zones: ["A": 5],
            skuID: { codes[$0] }
        ).get()
        #expect(order.id == "FO-7" && order.reference == "#1007")
        #expect(order.lines == [.init(lineNo: 1, sku: "SKU-1", quantity: 2), .init(lineNo: 2, sku: "SKU-2", quantity: 1)])
        #expect(order.shipTo.name == "Ada Lovelace" && order.shipTo.street2 == nil && order.residential)
        #expect(order.stationID == "station-1" && order.claimedBy == nil)
    }

    @Test func anUnknownSKU_orNoDestination_isAProblem_notAnOrder() {
        let unknown = ShopifyOrderMapping.order(
            Self.node,
            state: .assigned,
            lineItems: [.init(id: "x", totalQuantity: 1, remainingQuantity: 1, sku: "NOPE", variant: nil)],
            stationID: "station-1",
            warehouse: "w",
            zones: [:],
            skuID: { _ in nil }
        )
        #expect(throws: ShopifyOrderMapping.Problem.self) { try unknown.get() }
        var nowhere = Self.node
        nowhere.destination = nil
        let lost = ShopifyOrderMapping.order(nowhere, state: .assigned, lineItems: [], stationID: "s", warehouse: "w", zones: [:], skuID: { $0 })
        #expect(throws: ShopifyOrderMapping.Problem.self) { try lost.get() }
    }
}
