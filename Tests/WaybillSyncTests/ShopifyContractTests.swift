import Foundation
import Testing
import WaybillCore
import WaybillHTTP
import WaybillHub
import WaybillTestSupport

/// The Shopify types and the hub's emulator against the reference's examples (kept in
/// `Fixtures/shopify`, their sources and what is assembled in its README).
@Suite(.timeLimit(.minutes(2))) struct ShopifyContractTests {
    static func example(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/shopify/\(name)"))
    }

    /// Every key path of a JSON value (`a.b[].c`), for comparing shapes.
    static func paths(_ value: Any, prefix: String = "") -> Set<String> {
        if let object = value as? [String: Any] {
            return object.reduce(into: Set<String>()) { paths, entry in
                let path = prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)"
                paths.insert(path)
                paths.formUnion(Self.paths(entry.value, prefix: path))
            }
        }
        if let array = value as? [Any] {
            return array.reduce(into: Set<String>()) { $0.formUnion(Self.paths($1, prefix: prefix + "[]")) }
        }
        return []
    }

    @Test func theDocumentedExamples_decodeThroughTheStationsTypes() throws {
        let page = try JSONDecoder().decode(
            ShopifyAPI.Response<ShopifyAPI.AssignedFulfillmentOrders>.self,
            from: Self.example("assigned-fulfillment-orders-response.json")
        )
        let node = try #require(page.data?.assignedFulfillmentOrders.edges.first?.node)
        #expect(node.id == "gid://shopify/FulfillmentOrder/1046001474")
        #expect(ShopifyOrderMapping.orderID(fulfillmentOrderID: node.id) == "FO-1046001474")
        #expect(node.destination?.city == "Ottawa")
        #expect(node.lineItems.edges.first?.node.variant?.barcode == "12345678")
        #expect(page.data?.assignedFulfillmentOrders.pageInfo.hasNextPage == true)
        #expect(page.extensions?.cost?.throttleStatus.maximumAvailable == 1000)
        #expect(page.extensions?.cost?.actualQueryCost == 46)

        let created = try JSONDecoder().decode(
            ShopifyAPI.Response<ShopifyAPI.FulfillmentCreateData>.self,
            from: Self.example("fulfillment-create-response.json")
        )
        #expect(created.data?.fulfillmentCreate?.fulfillment?.trackingInfo.first?.number == "1Z1234512345123456")
        #expect(created.data?.fulfillmentCreate?.userErrors.isEmpty == true)

        let throttled = try JSONDecoder().decode(
            ShopifyAPI.Response<ShopifyAPI.AssignedFulfillmentOrders>.self,
            from: Self.example("throttled-response.json")
        )
        #expect(throttled.data == nil && throttled.errors?.first?.extensions?.code == "THROTTLED")
        #expect(throttled.extensions?.cost?.actualQueryCost == nil)

        let accepted = try JSONDecoder().decode(
            ShopifyAPI.Response<ShopifyAPI.AcceptFulfillmentRequestData>.self,
            from: Self.example("fulfillment-order-accept-fulfillment-request-response.json")
        )
        #expect(accepted.data?.fulfillmentOrderAcceptFulfillmentRequest?.fulfillmentOrder?.requestStatus == "ACCEPTED")
        let cancelled = try JSONDecoder().decode(
            ShopifyAPI.Response<ShopifyAPI.AcceptCancellationRequestData>.self,
            from: Self.example("fulfillment-order-accept-cancellation-request-response.json")
        )
        #expect(cancelled.data?.fulfillmentOrderAcceptCancellationRequest?.fulfillmentOrder?.status == "CANCELLED")
    }

    /// The documented mutation input, as the station builds it: only documented fields.
    @Test func theFulfillmentTheStationSends_usesOnlyDocumentedFields() throws {
        let documented = try JSONSerialization.jsonObject(with: Self.example("fulfillment-create-request.json"))
        let ours = ShopifyAPI.Request(
            .fulfillmentCreate,
            variables: ShopifyAPI.FulfillmentVariables(
                fulfillment: .init(
                    lineItemsByFulfillmentOrder: [.init(fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1")],
                    trackingInfo: .init(company: "UPS", numbers: ["1Z"]),
                    notifyCustomer: false
                )
            )
        )
        let encoded = try JSONSerialization.jsonObject(with: CanonicalJSON.encode(ours))
        let extra = Self.paths(encoded).filter { $0.hasPrefix("variables") }.subtracting(Self.paths(documented))
        #expect(extra.isEmpty, "undocumented: \(extra)")
    }

    /// The emulator's answers have the documented shapes: every key path it writes is one the
    /// examples show (or, for fields the examples leave out, one the station's query asks for).
    @Test func theEmulatorsAnswers_haveTheDocumentedShapes() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 10, storefront: StorefrontEmulation(accessToken: "t"))
        let client = CurlHTTPClient()
        func send<V: Codable & Sendable & Hashable>(_ operation: ShopifyOperation, _ variables: V, token: String = "t") async throws -> HTTPResponse {
            try await client.send(
                HTTPRequest(
                    method: "POST",
                    url: hub.base + "/shopify/admin/api/2025-01/graphql.json",
                    headers: [(name: "X-Shopify-Access-Token", value: token), (name: "Content-Type", value: "application/json")],
                    body: Array(try JSONEncoder().encode(ShopifyAPI.Request(operation, variables: variables)))
                )
            )
        }
        let page = try await send(
            .assignedFulfillmentOrders,
            ShopifyAPI.PageVariables(first: 2, after: nil, locationIds: ["gid://shopify/Location/1"])
        )
        #expect(page.status == 200)
        // Fields the example leaves out that the station's query asks for.
        let asked: Set<String> = [
            "data.assignedFulfillmentOrders.edges[].node.destination.province",
            "data.assignedFulfillmentOrders.edges[].node.destination.phone",
        ]
        let documented = Self.paths(try JSONSerialization.jsonObject(with: Self.example("assigned-fulfillment-orders-response.json"))).union(asked)
        let served = Self.paths(try JSONSerialization.jsonObject(with: Data(page.body)))
        #expect(served.subtracting(documented).isEmpty, "undocumented: \(served.subtracting(documented).sorted())")
        #expect(served.contains("extensions.cost.throttleStatus.currentlyAvailable"))

        let unauthorized = try await send(.assignedFulfillmentOrders, ShopifyAPI.PageVariables(first: 1, after: nil, locationIds: []), token: "wrong")
        #expect(unauthorized.status == 401)
        let tooCostly = try await send(.assignedFulfillmentOrders, ShopifyAPI.PageVariables(first: 250, after: nil, locationIds: []))
        let refused = try JSONDecoder().decode(ShopifyAPI.Response<ShopifyAPI.AssignedFulfillmentOrders>.self, from: Data(tooCostly.body))
        #expect(refused.errors?.first?.extensions?.code == "MAX_COST_EXCEEDED")
        await hub.stop()
    }
}
