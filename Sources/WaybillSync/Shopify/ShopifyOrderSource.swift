import Foundation
public import Logging
import Synchronization
public import WaybillCore
public import WaybillStore

/// A Shopify store's fulfillment orders as the station's order source (Admin GraphQL API).
///
/// - **Pull**: the catalog file first (SKUs, stock, boxes, rates, rules, as a changes page), then a
///   sweep of `assignedFulfillmentOrders` for the station's location, page by page (Relay cursors),
///   each page's orders mapped by ``ShopifyOrderMapping`` and applied through the feed's own parser
///   and checks with the sweep's cursor in one transaction; a crash resumes mid-sweep. An order
///   whose cancellation Shopify requests is intercepted by the conflict rules, and the request is
///   accepted once the station's copy is cancelled.
/// - **Push**: `claim` accepts the fulfillment request; `ship` creates the fulfillment with every
///   box's tracking number (the customer not notified unless configured). `fulfillmentCreate` takes
///   no idempotency key: an operation sent before (its answer maybe lost) or refused by the order's
///   state is first looked up among the order's fulfillments, and one carrying our tracking numbers
///   counts as done. Every other operation is the station's own record and is confirmed locally.
public final class ShopifyOrderSource: OrderSource {
    let client: ShopifyClient
    let store: WaybillStore
    let settings: ShopifySettings
    let catalogFile: String?
    let policy: RetryPolicy
    let logger: Logger
    /// When the last sweep reached the end of the list: the next starts `settings.sweepInterval` later
    /// (every sweep spends the app's cost points, which a poll each few seconds would exhaust).
    private let lastSweep = Mutex<ContinuousClock.Instant?>(nil)

    public init(client: ShopifyClient, store: WaybillStore, catalogFile: String?, policy: RetryPolicy, logger: Logger) {
        self.client = client
        self.store = store
        self.settings = client.settings
        self.catalogFile = catalogFile
        self.policy = policy
        self.logger = logger
    }

    public var name: String { "shopify" }
    public var clockSkew: Double? { nil }
    public var feedName: String { Self.sweepFeed }

    static let sweepFeed = "shopify"
    static let catalogFeed = "catalog"

    // MARK: Pull

    public func pull() async throws(SyncError) -> PullEngine.Report {
        var report = PullEngine.Report()
        try applyCatalog(into: &report)
        var after = (try? store.cursor(feed: Self.sweepFeed)).flatMap { $0 }.flatMap { $0.isEmpty ? nil : $0 }
        if after == nil, let last = lastSweep.withLock({ $0 }), ContinuousClock.now - last < settings.sweepInterval {
            report.caughtUp = true
            return report
        }
        // A sweep from the start sees every open fulfillment order: an order of the station's it does
        // not see was closed, moved or withdrawn elsewhere.
        var seen: Set<String>? = after == nil ? [] : nil
        let codes: [String: String]
        let locations: [String]
        do {
            codes = try store.skuCodes()
            locations = try store.stockLocations()
        } catch {
            throw SyncError(.schema, "cannot read the catalog: \(error)")
        }
        let zones = Dictionary(uniqueKeysWithValues: locations.map { ($0, settings.zone) })
        while true {
            let page = try await client.run(
                .assignedFulfillmentOrders,
                variables: ShopifyAPI.PageVariables(first: settings.pageSize, after: after, locationIds: [settings.locationID]),
                first: settings.pageSize,
                as: ShopifyAPI.AssignedFulfillmentOrders.self
            ).assignedFulfillmentOrders
            var changes: [FeedPageText.Change] = []
            var cancellations: [String] = []
            for edge in page.edges {
                let state = ShopifyOrderMapping.state(status: edge.node.status, requestStatus: edge.node.requestStatus)
                if state != nil, let id = ShopifyOrderMapping.orderID(fulfillmentOrderID: edge.node.id) {
                    seen?.insert(id)
                    if state == .cancelled { cancellations.append(id) }
                }
                if let change = try await change(for: edge.node, codes: codes, zones: zones) { changes.append(change) }
            }
            let next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : nil
            if next == nil, let seen { changes += try withdrawals(notIn: seen) }
            try apply(changes, cursor: next ?? "", into: &report)
            // Every requested cancellation, changed or not: one accepted late (after a person's
            // decision, or a failed attempt) is accepted now.
            for id in cancellations { await acceptCancellationIfIntercepted(id) }
            guard let next else { break }
            after = next
        }
        lastSweep.withLock { $0 = ContinuousClock.now }
        report.caughtUp = true
        return report
    }

    /// The station's open orders a full sweep did not see, as cancelled centrally: closed, moved to
    /// another location, put on hold or withdrawn in the store. The conflict rules decide what that
    /// means for work done (a packed or labelled order waits for a person).
    private func withdrawals(notIn seen: Set<String>) throws(SyncError) -> [FeedPageText.Change] {
        do {
            return try store.replicaVersions(of: .order).keys.sorted().compactMap { id -> FeedPageText.Change? in
                guard id.hasPrefix("FO-"), !seen.contains(id), let order = try store.order(id: id), !order.state.isFinal,
                    var data = try? JSONDecoder().decode(CentralAPI.OrderData.self, from: Data(order.data.utf8)),
                    data.state != OrderState.cancelled.rawValue
                else { return nil }
                data.state = OrderState.cancelled.rawValue
                logger.notice("A Shopify fulfillment order left the station's location; its order is withdrawn", metadata: ["order.id": "\(id)"])
                return FeedPageText.Change(
                    entity: "order",
                    id: id,
                    version: order.version + 1,
                    data: String(decoding: try CanonicalJSON.encode(data), as: UTF8.self)
                )
            }
        } catch {
            throw SyncError(.schema, "cannot read the station's orders: \(error)")
        }
    }

    /// The change a fulfillment order makes to the replica, or nil when it changes nothing (or is
    /// not the station's work). A fulfillment order that cannot be an order becomes a change whose
    /// data the feed's checks refuse, so it is quarantined with the reason and the page goes on.
    private func change(
        for node: ShopifyAPI.FulfillmentOrder,
        codes: [String: String],
        zones: [String: Int]
    ) async throws(SyncError) -> FeedPageText.Change? {
        guard let state = ShopifyOrderMapping.state(status: node.status, requestStatus: node.requestStatus) else { return nil }
        let id = ShopifyOrderMapping.orderID(fulfillmentOrderID: node.id) ?? "FO-invalid"
        let existing: ReplicaOrder?
        do {
            existing = try store.order(id: id)
        } catch {
            throw SyncError(.schema, "cannot read order \(id): \(error)")
        }
        let updated = Self.seconds(node.updatedAt)
        let version = max((existing?.version ?? 0) + (existing == nil ? 0 : 1), updated, 1)
        guard let items = try await lineItems(of: node) else {
            let reason = "fulfillment order \(id)'s line items could not all be read; it is read again next sweep"
            return FeedPageText.Change(entity: "order", id: id, version: version, data: Self.unusable(reason))
        }
        switch ShopifyOrderMapping.order(
            node,
            state: state,
            lineItems: items,
            stationID: settings.stationID,
            warehouse: settings.locationID,
            zones: zones,
            skuID: { codes[$0] }
        ) {
        case .failure(let problem):
            // Quarantined by the store with this reason (a change without data fails the contract).
            logger.warning("A Shopify fulfillment order cannot be an order", metadata: ["order.id": "\(id)", "reason": "\(problem)"])
            return FeedPageText.Change(entity: "order", id: id, version: version, data: Self.unusable(problem.message))
        case .success(var order):
            let previous = existing.flatMap { try? JSONDecoder().decode(CentralAPI.OrderData.self, from: Data($0.data.utf8)) }
            if let previous {
                order.contentVersion = previous.contentVersion
                if order == previous { return nil }
                let contentChanged = order.shipTo != previous.shipTo || order.lines != previous.lines || order.reference != previous.reference
                if contentChanged { order.contentVersion = version }
            } else {
                order.contentVersion = version
            }
            do {
                return FeedPageText.Change(
                    entity: "order",
                    id: order.id,
                    version: version,
                    data: String(decoding: try CanonicalJSON.encode(order), as: UTF8.self)
                )
            } catch {
                throw SyncError(.schema, "cannot encode order \(order.id): \(error)")
            }
        }
    }

    /// Every line item of a fulfillment order: the page's, and the rest read after it; nil when
    /// they cannot all be read (the order must not be packed short).
    private func lineItems(of node: ShopifyAPI.FulfillmentOrder) async throws(SyncError) -> [ShopifyAPI.LineItem]? {
        var items = node.lineItems.edges.map(\.node)
        var info = node.lineItems.pageInfo
        while info.hasNextPage {
            guard let after = info.endCursor, items.count < 10_000,
                let more = try await client.run(
                    .fulfillmentOrderLineItems,
                    variables: ShopifyAPI.IDVariables(id: node.id, after: after),
                    as: ShopifyAPI.FulfillmentOrderLineItems.self
                ).fulfillmentOrder
            else { return nil }
            items += more.lineItems.edges.map(\.node)
            info = more.lineItems.pageInfo
        }
        return items
    }

    /// Applies mapped changes and the sweep's cursor in one transaction, through the feed's parser.
    private func apply(_ changes: [FeedPageText.Change], cursor: String, feed: String = sweepFeed, into report: inout PullEngine.Report)
        throws(SyncError)
    {
        let page = try FeedPageParser.parse(FeedPageText.render(changes, nextCursor: cursor.isEmpty ? "0" : cursor))
        // A fulfillment order that could not be mapped is quarantined with the mapping's reason.
        let reasons = Dictionary(
            changes.compactMap { change in change.data.flatMap(Self.unusableReason).map { (change.id, $0) } },
            uniquingKeysWith: { first, _ in first }
        )
        let pulled = page.changes.map { change in
            reasons[change.id].map {
                PulledChange(entity: change.entity, id: change.id, version: change.version, op: change.op, dataText: change.dataText, problem: $0)
            } ?? change
        }
        let outcome: PullOutcome
        do {
            outcome = try store.applyPulledBatch(pulled, cursor: cursor, feed: feed)
        } catch {
            throw SyncError(.schema, "could not apply Shopify's fulfillment orders: \(error)")
        }
        report.pages += 1
        report.outcome.applied += outcome.applied
        report.outcome.stale += outcome.stale
        report.outcome.quarantined += outcome.quarantined
        report.outcome.conflicts += outcome.conflicts
        for rule in outcome.conflicts {
            logger.notice("Conflict", metadata: ["conflict.rule": "\(rule.rawValue)", "conflict.needs_person": "\(rule.needsPerson)"])
        }
    }

    /// Reads the catalog file when it changed since it was last applied (its checksum is the cursor).
    private func applyCatalog(into report: inout PullEngine.Report) throws(SyncError) {
        guard let catalogFile else { return }
        guard let data = FileManager.default.contents(atPath: catalogFile) else {
            throw SyncError(.schema, "cannot read the catalog file \(catalogFile) (storefront.catalog_file)")
        }
        let bytes = Array(data)
        let checksum = FeedChecksum.of(bytes)
        guard (try? store.cursor(feed: Self.catalogFeed)).flatMap({ $0 }) != checksum else { return }
        let page: FeedPage
        do {
            page = try FeedPageParser.parse(bytes)
        } catch {
            throw SyncError(.feedUnreadable, "the catalog file \(catalogFile) is not a changes page: \(error.message)")
        }
        let outcome: PullOutcome
        do {
            outcome = try store.applyPulledBatch(page.changes.filter { $0.entity != "order" }, cursor: checksum, feed: Self.catalogFeed)
        } catch {
            throw SyncError(.schema, "could not apply the catalog file: \(error)")
        }
        report.outcome.applied += outcome.applied
        report.outcome.quarantined += outcome.quarantined
        logger.notice("Catalog applied", metadata: ["catalog.file": "\(catalogFile)", "catalog.changes": "\(outcome.applied)"])
    }

    /// Accepts Shopify's cancellation request of an order the station intercepted (its copy is
    /// cancelled); an order it shipped already keeps the request open for a person.
    private func acceptCancellationIfIntercepted(_ orderID: String) async {
        guard (try? store.order(id: orderID))??.state == .cancelled, let gid = ShopifyOrderMapping.fulfillmentOrderID(orderID: orderID) else {
            return
        }
        do {
            let payload = try await client.run(
                .acceptCancellationRequest,
                variables: ShopifyAPI.IDVariables(id: gid),
                as: ShopifyAPI.AcceptCancellationRequestData.self
            ).fulfillmentOrderAcceptCancellationRequest
            logger.notice(
                "Accepted Shopify's cancellation request",
                metadata: ["order.id": "\(orderID)", "shopify.errors": "\(payload?.userErrors.map(\.message) ?? [])"]
            )
        } catch {
            logger.warning(
                "Could not accept Shopify's cancellation request; asking again next pull",
                metadata: ["order.id": "\(orderID)", "error": "\(error)"]
            )
        }
    }

    /// The data of a fulfillment order that cannot be an order: the reason, for the quarantine.
    static func unusable(_ reason: String) -> String {
        "{\"unusable\":\(JSONStringLiteral.quote(reason))}"
    }

    /// The reason ``unusable(_:)`` wrote, if `data` is such data.
    static func unusableReason(_ data: String) -> String? {
        guard data.hasPrefix("{\"unusable\":") else { return nil }
        return (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8)))?["unusable"]
    }

    /// Seconds since 1970 of an ISO 8601 time; 0 when unreadable.
    static func seconds(_ text: String) -> Int {
        ISO8601DateFormatter().date(from: text).map { Int($0.timeIntervalSince1970) } ?? 0
    }
}
