import Foundation
import HTTPTypes
import Hummingbird
import WaybillCore
import WaybillHubStore

/// The Shopify Admin GraphQL API's fulfillment-order surface, emulated under `/shopify` from its
/// public reference: `POST /admin/api/{version}/graphql.json` with `X-Shopify-Access-Token`, the
/// station's operations (``ShopifyOperation``, answered by `operationName`; any other document is
/// refused), Relay cursors, the calculated query cost with `extensions.cost` on every answer,
/// `THROTTLED` when the app's bucket is short and `MAX_COST_EXCEEDED` above 1,000 points, user
/// errors in mutation payloads, and no idempotency key on `fulfillmentCreate`.
extension HubState {
    static let shopifyTokenHeader = HTTPField.Name("X-Shopify-Access-Token")!
    static let locationPrefix = "gid://shopify/Location/"

    func addStorefrontEmulatorRoutes(to router: Router<HubRequestContext>, emulator: StorefrontEmulator) {
        router.post("/shopify/admin/api/:version/graphql.json") { request, context in
            try await self.faulted(.storefront) { _ in
                guard request.headers[Self.shopifyTokenHeader] == emulator.settings.accessToken else {
                    emulator.count("unauthorized")
                    return HubReply(
                        status: .unauthorized,
                        headers: HubReply.jsonContentType,
                        body: Array(#"{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"#.utf8)
                    )
                }
                let version = try context.parameters.require("version")
                guard version.count == 7, version.split(separator: "-").count == 2, version.allSatisfy({ $0.isNumber || $0 == "-" }) else {
                    return HubReply(status: .notFound, headers: HubReply.jsonContentType, body: Array(#"{"errors":"Not Found"}"#.utf8))
                }
                return try await self.graphQL(try await request.bytes(), emulator)
            }
        }
        router.get("/admin/emulators/storefront") { _, _ in
            try HubReply.json(
                EmulatedStorefrontView(
                    fulfillmentOrders: try self.store.allEmulatedFulfillmentOrders().map(EmulatedFulfillmentOrderSummary.init),
                    fulfillments: try self.store.emulatedFulfillments(),
                    requests: emulator.requestCounts
                )
            ).response
        }
        // The catalog a storefront station reads from a file: a changes page of SKUs, stock, boxes, rates, rules.
        router.get("/admin/emulators/storefront/catalog") { request, _ in
            let station = request.uri.queryParameters.get("station") ?? "station-1"
            let page = FeedPageText.render(try self.store.catalogChanges(stationID: station), nextCursor: "catalog")
            return HubReply(status: .ok, headers: HubReply.jsonContentType, body: page).response
        }
    }

    struct GraphQLEnvelope: Decodable {
        let query: String
        let operationName: String?
    }

    private func graphQL(_ body: [UInt8], _ emulator: StorefrontEmulator) async throws -> HubReply {
        guard let envelope = try? JSONDecoder().decode(GraphQLEnvelope.self, from: Data(body)) else {
            return try Self.graphQLErrors(["Invalid JSON in request body, or no query"], code: "BAD_REQUEST", cost: nil)
        }
        guard let operation = envelope.operationName.flatMap(ShopifyOperation.init(rawValue:)), envelope.query == operation.document else {
            return try Self.graphQLErrors(
                ["The emulator runs only the station's operations, by operationName with their exact documents"],
                code: "UNSUPPORTED",
                cost: nil
            )
        }
        let first = (try? JSONDecoder().decode(ShopifyAPI.Request<ShopifyAPI.PageVariables>.self, from: Data(body)))?.variables.first ?? 0
        let requested = ShopifyOperation.requestedCost(of: operation, first: first)
        func cost(actual: Double?, available: Double) -> ShopifyAPI.Extensions {
            ShopifyAPI.Extensions(
                cost: ShopifyAPI.Cost(
                    requestedQueryCost: requested,
                    actualQueryCost: actual,
                    throttleStatus: ShopifyAPI.ThrottleStatus(
                        maximumAvailable: emulator.settings.bucketSize,
                        currentlyAvailable: available.rounded(.down),
                        restoreRate: emulator.settings.restoreRate
                    )
                )
            )
        }
        guard requested <= 1000 else {
            return try Self.graphQLErrors(
                ["Query cost is \(Int(requested)), which exceeds the single query max cost limit (1000)."],
                code: "MAX_COST_EXCEEDED",
                cost: cost(actual: nil, available: emulator.available)
            )
        }
        guard emulator.take(requested) != nil else {
            return try Self.graphQLErrors(["Throttled"], code: "THROTTLED", cost: cost(actual: nil, available: emulator.available))
        }
        let (data, actual) = try await run(operation, body)
        emulator.count("points", actual)
        let available = emulator.refund(requested - actual)
        let extensions = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(cost(actual: actual, available: available)))
        let answer: JSONValue = .object(["data": data, "extensions": extensions])
        return HubReply(status: .ok, headers: HubReply.jsonContentType, body: Array(try JSONEncoder().encode(answer)))
    }

    /// Runs one operation: its `data` and actual cost.
    private func run(_ operation: ShopifyOperation, _ body: [UInt8]) async throws -> (JSONValue, Double) {
        func variables<V: Codable & Sendable & Hashable>(_ type: V.Type) throws -> V {
            try JSONDecoder().decode(ShopifyAPI.Request<V>.self, from: Data(body)).variables
        }
        func encoded(_ value: some Encodable) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(value)) }
        let barcodes = try store.skuBarcodes()
        switch operation {
        case .assignedFulfillmentOrders:
            let page = try variables(ShopifyAPI.PageVariables.self)
            let location = page.locationIds.first.flatMap { Int($0.dropFirst(Self.locationPrefix.count)) } ?? 0
            let after = page.after.flatMap(Self.cursorNumber) ?? 0
            if page.after == nil { try store.openEmulatedFulfillmentOrders() }
            let (orders, hasMore) = try store.emulatedFulfillmentOrders(location: location, after: after, limit: min(page.first, 250))
            let nodes = orders.map { Self.fulfillmentOrder($0, barcodes: barcodes) }
            let connection = ShopifyAPI.Connection(
                edges: nodes.map { .init(cursor: Self.cursor($0.number), node: $0.node) },
                pageInfo: ShopifyAPI.PageInfo(hasNextPage: hasMore, endCursor: nodes.last.map { Self.cursor($0.number) })
            )
            let lines = nodes.map(\.node.lineItems.edges.count).reduce(0, +)
            return (
                try encoded(ShopifyAPI.AssignedFulfillmentOrders(connection)), ShopifyOperation.actualPageCost(orders: nodes.count, lineItems: lines)
            )
        case .fulfillmentOrderLineItems:
            let asked = try variables(ShopifyAPI.IDVariables.self)
            guard let number = Self.fulfillmentOrderNumber(asked.id), let order = try store.emulatedFulfillmentOrder(number) else {
                return (try encoded(ShopifyAPI.FulfillmentOrderLineItems(fulfillmentOrder: nil)), 1)
            }
            let items = Self.lineItems(order, barcodes: barcodes)
            let start = asked.after.flatMap(Self.cursorNumber) ?? 0
            let slice = Array(items.dropFirst(start).prefix(ShopifyOperation.lineItemsPerRequest))
            let connection = ShopifyAPI.Connection(
                edges: slice.enumerated().map { .init(cursor: Self.cursor(start + $0.offset + 1), node: $0.element) },
                pageInfo: ShopifyAPI.PageInfo(hasNextPage: start + slice.count < items.count, endCursor: Self.cursor(start + slice.count))
            )
            let data = ShopifyAPI.FulfillmentOrderLineItems(fulfillmentOrder: .init(id: asked.id, lineItems: connection))
            return (try encoded(data), Double(3 + slice.count * 2))
        case .fulfillmentOrderFulfillments:
            let asked = try variables(ShopifyAPI.IDVariables.self)
            guard let number = Self.fulfillmentOrderNumber(asked.id), let order = try store.emulatedFulfillmentOrder(number) else {
                return (try encoded(ShopifyAPI.FulfillmentOrderFulfillments(fulfillmentOrder: nil)), 1)
            }
            let fulfillments = try store.emulatedFulfillments(of: number).map(Self.fulfillment)
            let node = ShopifyAPI.FulfillmentOrderFulfillments.Node(
                id: asked.id,
                status: order.status,
                fulfillments: ShopifyAPI.Connection(
                    edges: fulfillments.map { .init(cursor: nil, node: $0) },
                    pageInfo: ShopifyAPI.PageInfo(hasNextPage: false, endCursor: nil)
                )
            )
            return (try encoded(ShopifyAPI.FulfillmentOrderFulfillments(fulfillmentOrder: node)), Double(3 + fulfillments.count * 3))
        case .acceptFulfillmentRequest:
            let payload = try transition(
                try variables(ShopifyAPI.IDVariables.self).id,
                from: ["OPEN"],
                requestStatuses: ["SUBMITTED"],
                to: ("IN_PROGRESS", "ACCEPTED"),
                refusal: "a fulfillment request can be accepted only while it is submitted"
            )
            return (try encoded(ShopifyAPI.AcceptFulfillmentRequestData(payload)), 10)
        case .acceptCancellationRequest:
            let payload = try transition(
                try variables(ShopifyAPI.IDVariables.self).id,
                from: ["OPEN", "IN_PROGRESS"],
                requestStatuses: ["CANCELLATION_REQUESTED"],
                to: ("CANCELLED", "CANCELLATION_ACCEPTED"),
                refusal: "a cancellation request can be accepted only while one is requested"
            )
            return (try encoded(ShopifyAPI.AcceptCancellationRequestData(payload)), 10)
        case .fulfillmentCreate:
            let input = try variables(ShopifyAPI.FulfillmentVariables.self).fulfillment
            guard input.lineItemsByFulfillmentOrder.count == 1, let id = input.lineItemsByFulfillmentOrder.first?.fulfillmentOrderId,
                let number = Self.fulfillmentOrderNumber(id), !input.trackingInfo.numbers.isEmpty
            else {
                let errors = [
                    ShopifyAPI.UserError(field: ["fulfillment"], message: "one fulfillment order and at least one tracking number are expected")
                ]
                return (try encoded(ShopifyAPI.FulfillmentCreateData(fulfillmentCreate: .init(fulfillment: nil, userErrors: errors))), 10)
            }
            guard
                let created = try store.createEmulatedFulfillment(
                    number,
                    company: input.trackingInfo.company,
                    trackingNumbers: input.trackingInfo.numbers,
                    notifyCustomer: input.notifyCustomer
                )
            else {
                let status = try store.emulatedFulfillmentOrder(number)?.status ?? "unknown"
                let errors = [
                    ShopifyAPI.UserError(field: ["fulfillment"], message: "Fulfillment order \(id) is not open (\(status)); nothing to fulfil")
                ]
                return (try encoded(ShopifyAPI.FulfillmentCreateData(fulfillmentCreate: .init(fulfillment: nil, userErrors: errors))), 10)
            }
            let payload = ShopifyAPI.FulfillmentCreateData.Payload(fulfillment: Self.fulfillment(created), userErrors: [])
            return (try encoded(ShopifyAPI.FulfillmentCreateData(fulfillmentCreate: payload)), 10)
        }
    }

    private func transition(
        _ id: String,
        from statuses: Set<String>,
        requestStatuses: Set<String>,
        to target: (status: String, request: String),
        refusal: String
    ) throws -> ShopifyAPI.RequestPayload {
        guard let number = Self.fulfillmentOrderNumber(id), let before = try store.emulatedFulfillmentOrder(number) else {
            return ShopifyAPI.RequestPayload(fulfillmentOrder: nil, userErrors: [.init(field: ["id"], message: "Fulfillment order does not exist.")])
        }
        guard
            let after = try store.transitionEmulatedFulfillmentOrder(
                number,
                from: statuses,
                requestStatuses: requestStatuses,
                to: target.status,
                requestStatus: target.request
            )
        else {
            return ShopifyAPI.RequestPayload(
                fulfillmentOrder: .init(id: id, status: before.status, requestStatus: before.requestStatus),
                userErrors: [.init(field: ["id"], message: "The fulfillment order is \(before.status)/\(before.requestStatus): \(refusal).")]
            )
        }
        return ShopifyAPI.RequestPayload(fulfillmentOrder: .init(id: id, status: after.status, requestStatus: after.requestStatus), userErrors: [])
    }

    /// A 200 answer with top-level errors, as Shopify sends throttling and query errors.
    static func graphQLErrors(_ messages: [String], code: String, cost: ShopifyAPI.Extensions?) throws -> HubReply {
        let answer = ShopifyAPI.Response<JSONValue>(data: nil, errors: messages.map { .init(message: $0, code: code) }, extensions: cost)
        return HubReply(status: .ok, headers: HubReply.jsonContentType, body: Array(try JSONEncoder().encode(answer)))
    }

    static func fulfillmentOrder(
        _ order: EmulatedFulfillmentOrder,
        barcodes: [String: String]
    ) -> (number: Int, node: ShopifyAPI.FulfillmentOrder) {
        let items = lineItems(order, barcodes: barcodes)
        let shown = Array(items.prefix(ShopifyOperation.lineItemsPerOrder))
        let to = order.order.shipTo
        let name = to.name.split(separator: " ", maxSplits: 1).map(String.init)
        let node = ShopifyAPI.FulfillmentOrder(
            id: "gid://shopify/FulfillmentOrder/\(order.number)",
            status: order.status,
            requestStatus: order.requestStatus,
            updatedAt: ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: 1_767_225_600 + Double(order.revision))),
            order: ShopifyAPI.OrderRef(id: "gid://shopify/Order/\(order.number)", name: order.order.reference),
            destination: ShopifyAPI.Destination(
                firstName: name.first,
                lastName: name.count > 1 ? name[1] : nil,
                company: to.company,
                address1: to.street1,
                address2: to.street2,
                city: to.city,
                province: to.region,
                zip: to.postalCode,
                countryCode: to.country,
                phone: to.phone
            ),
            lineItems: ShopifyAPI.Connection(
                // The station's query asks for no line item cursors: none are sent.
                edges: shown.map { .init(cursor: nil, node: $0) },
                pageInfo: ShopifyAPI.PageInfo(hasNextPage: items.count > shown.count, endCursor: cursor(shown.count))
            )
        )
        return (order.number, node)
    }

    static func lineItems(_ order: EmulatedFulfillmentOrder, barcodes: [String: String]) -> [ShopifyAPI.LineItem] {
        let remaining = ["OPEN", "IN_PROGRESS"].contains(order.status)
        return order.order.lines.map { line in
            ShopifyAPI.LineItem(
                id: "gid://shopify/FulfillmentOrderLineItem/\(order.number * 1000 + line.lineNo)",
                totalQuantity: line.quantity,
                remainingQuantity: remaining ? line.quantity : 0,
                sku: line.sku,
                variant: ShopifyAPI.Variant(sku: line.sku, barcode: barcodes[line.sku])
            )
        }
    }

    static func fulfillment(_ fulfillment: EmulatedFulfillment) -> ShopifyAPI.Fulfillment {
        ShopifyAPI.Fulfillment(
            id: "gid://shopify/Fulfillment/\(fulfillment.id)",
            status: "SUCCESS",
            trackingInfo: fulfillment.trackingNumbers.map { ShopifyAPI.TrackingInfo(company: fulfillment.company, number: $0) }
        )
    }

    static func fulfillmentOrderNumber(_ gid: String) -> Int? {
        ShopifyOrderMapping.orderID(fulfillmentOrderID: gid).flatMap { Int($0.dropFirst(3)) }
    }

    /// An opaque cursor, as Shopify's look: base64 of `{"last_id":N}`.
    static func cursor(_ number: Int) -> String {
        Data("{\"last_id\":\(number)}".utf8).base64EncodedString()
    }

    static func cursorNumber(_ cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("{\"last_id\":") else {
            return nil
        }
        return Int(text.dropFirst("{\"last_id\":".count).dropLast())
    }
}

/// `GET /admin/emulators/storefront`: every fulfillment order and fulfillment, and the requests seen.
struct EmulatedStorefrontView: Codable {
    let fulfillmentOrders: [EmulatedFulfillmentOrderSummary]
    let fulfillments: [EmulatedFulfillment]
    let requests: [String: Double]

    enum CodingKeys: String, CodingKey {
        case fulfillmentOrders = "fulfillment_orders"
        case fulfillments, requests
    }
}
