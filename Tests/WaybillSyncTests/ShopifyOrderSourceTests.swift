import Foundation
import Testing
import WaybillCore
import WaybillHTTP
import WaybillHub
import WaybillHubStore
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// A station working from a Shopify store's fulfillment orders (the hub's emulator over loopback):
/// orders read page by page through the cost bucket, accepted, labelled and fulfilled exactly once
/// with every box's tracking number, cancellations intercepted and accepted.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ShopifyOrderSourceTests {
    static func hub(_ folder: TemporaryDirectory, orders: Int = 40, restoreRate: Double = 1000) async throws -> RunningHub {
        try await RunningHub.start(
            databasePath: folder.file("hub.sqlite"),
            orders: orders,
            shipping: ShippingEmulation(apiKey: StorefrontStation.key),
            storefront: StorefrontEmulation(accessToken: StorefrontStation.key, restoreRate: restoreRate)
        )
    }

    struct View: Decodable {
        let fulfillments: [EmulatedFulfillment]
        let requests: [String: Double]
    }

    static func view(_ hub: RunningHub) async throws -> View {
        try JSONDecoder().decode(View.self, from: Data(try await hub.send("GET", "/admin/emulators/storefront").body))
    }

    /// The hub's orders of station-1, which the emulator serves as location 1's fulfillment orders.
    static func stationOrders(_ hub: RunningHub) throws -> [String] {
        try hub.store.view(of: .order, stationID: "station-1").keys.filter { id in
            (try? hub.store.order(id: id))?.order.stationID == "station-1"
        }.sorted()
    }

    /// A hub with both emulators in `folder` (kept by the caller: it is removed with its object), a
    /// storefront station settled on it, and its first own order with its fulfillment order number.
    static func stationWithAnOrder(_ folder: TemporaryDirectory) async throws -> (RunningHub, SyncHarness, String, Int) {
        let hub = try await Self.hub(folder)
        let (station, _) = try await StorefrontStation.harness(hub: hub)
        try await station.settle()
        let id = try #require(try station.ownOrders(1).first)
        return (hub, station, id, try #require(Int(id.dropFirst(3))))
    }

    /// Records `id` claimed, planned in `boxes` boxes and at `label_request`, as the bench would.
    static func claimAndLabel(_ station: SyncHarness, _ id: String, boxes: Int = 1) throws {
        _ = try station.store.recordSampleTransition(orderID: id, to: .claimed, kind: .claim)
        try station.store.recordSampleLabelRequest(orderID: id, boxes: boxes)
    }

    @Test func thePull_readsTheLocationsFulfillmentOrders_asOrdersOfTheCatalogsSKUs() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await Self.hub(folder)
        let (station, _) = try await StorefrontStation.harness(hub: hub, pageSize: 5)
        try await station.settle()

        let expected = try Self.stationOrders(hub)
        #expect(expected.count >= 10)
        let orders = try station.store.replicaVersions(of: .order)
        #expect(orders.count == expected.count, "one order per open fulfillment order of location 1")
        #expect(try station.store.replicaVersions(of: .sku).count > 0, "the catalog file was applied")
        for hubID in expected.prefix(5) {
            let central = try hub.store.order(id: hubID).order
            let number = try #require(
                try hub.store.emulatedFulfillmentOrders(location: 1, after: 0, limit: 500).orders.first { $0.order.id == hubID }
            )
            .number
            let replica = try #require(try station.store.order(id: "FO-\(number)"))
            #expect(replica.state == .assigned)
            #expect(replica.lines.map(\.skuID) == central.lines.map(\.sku), "line items mapped to the catalog's SKUs")
            #expect(replica.lines.map(\.quantity) == central.lines.map(\.quantity))
            let data = try JSONDecoder().decode(CentralAPI.OrderData.self, from: Data(replica.data.utf8))
            #expect(data.shipTo.street1 == central.shipTo.street1 && data.shipTo.postalCode == central.shipTo.postalCode)
            #expect(data.reference == central.reference)
        }
        // Another sweep finds nothing new: no version moves.
        try await station.settle()
        #expect(try station.store.replicaVersions(of: .order) == orders)
        await hub.stop()
    }

    /// Claim, two boxes labelled through ShipEngine, ship: the fulfillment request is accepted, and one
    /// fulfillment carries both tracking numbers, the customer not notified.
    @Test func anOrdersLife_acceptsTheRequest_andFulfilsOnceWithEveryBoxsTrackingNumber() async throws {
        let folder = try TemporaryDirectory()
        let (hub, station, id, number) = try await Self.stationWithAnOrder(folder)

        _ = try station.store.recordSampleTransition(orderID: id, to: .claimed, kind: .claim)
        try await station.settle()
        #expect(try hub.store.emulatedFulfillmentOrder(number)?.requestStatus == "ACCEPTED")
        try station.store.recordShipment(orderID: id, boxes: [PlannedBox.fixture(1), PlannedBox.fixture(2)], plannedBy: "test")
        try station.store.recordOrderTransition(orderID: id, to: .labelled, kind: .labelRequest, payload: CentralAPI.LabelRequestPayload(boxes: 2))
        try await station.settle()
        let labels = try station.store.carrierLabels(orderID: id)
        #expect(labels.count == 2, "a ShipEngine label per box")
        _ = try station.store.recordSampleTransition(orderID: id, to: .shipped, kind: .ship)
        try await station.settle()
        try await station.settle()

        let fulfillments = try await Self.view(hub).fulfillments.filter { $0.fulfillmentOrder == number }
        #expect(fulfillments.count == 1)
        #expect(Set(fulfillments.first?.trackingNumbers ?? []) == Set(labels.map(\.trackingNumber)))
        #expect(fulfillments.first?.notifyCustomer == false)
        #expect(try hub.store.emulatedFulfillmentOrder(number)?.status == "CLOSED")
        #expect(try station.store.status().outboxDepth == 0 && (try station.store.status().deadLetters) == 0)
        await hub.stop()
    }

    /// The store fails while the station pushes: the label requests it confirmed before it failed
    /// get their ShipEngine labels in the same cycle. A flaky store does not keep the bench from its
    /// labels (the label provider is an API of its own).
    @Test func aFailingStore_doesNotHoldBackTheLabelsOfOrdersItAccepted() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await Self.hub(folder)
        let (station, _) = try await StorefrontStation.harness(hub: hub)
        try await station.settle()
        let ids = try station.ownOrders(2)
        try #require(ids.count == 2)
        // The first order is accepted while the provider is down: its label waits.
        try Self.claimAndLabel(station, ids[0])
        try await hub.setFaults("shipping:503:1")
        let accepted = await station.engine.cycle(pull: false)
        #expect(accepted.error == nil && accepted.labelError != nil, "\(String(describing: accepted.error))")
        #expect(try station.store.carrierLabels(orderID: ids[0]).isEmpty)

        // Then the provider is back and the store fails on the second order's accept: the first
        // order's label is bought in that cycle all the same (past the provider's pause).
        _ = try station.store.recordSampleTransition(orderID: ids[1], to: .claimed, kind: .claim)
        try await hub.setFaults("storefront:503:1")
        let failed = await station.engine.cycle(now: Date().addingTimeInterval(3600), pull: false)
        #expect(failed.error?.status == 503, "\(String(describing: failed.error))")
        #expect(failed.labels?.bought == 1)
        #expect(try station.store.carrierLabels(orderID: ids[0]).count == 1, "the accepted order got its label while the store failed")
        try await hub.setFaults("")
        await hub.stop()
    }

    /// The fulfillment is created and its answer lost, then the station restarts: the retry finds
    /// the fulfillment among the order's and creates none (fulfillmentCreate has no idempotency key).
    @Test func aFulfillmentWhoseAnswerIsLost_isFound_notCreatedAgain_afterARestart() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await Self.hub(folder)
        let (first, _) = try await StorefrontStation.harness(hub: hub)
        try await first.settle()
        let id = try #require(try first.ownOrders(1).first)
        let number = try #require(Int(id.dropFirst(3)))
        try Self.claimAndLabel(first, id)
        try await first.settle()
        _ = try first.store.recordSampleTransition(orderID: id, to: .shipped, kind: .ship)
        try await hub.setFaults("storefront:lost:1")
        let lost = await first.engine.cycle(pull: false)
        #expect(lost.error?.code == .transport, "\(String(describing: lost.error))")
        #expect(try await Self.view(hub).fulfillments.count == 1, "the fulfillment was created")
        try await hub.setFaults("")

        let (station, _) = try await StorefrontStation.harness(hub: hub, folder: first.folder)
        try await station.settle()
        #expect(try await Self.view(hub).fulfillments.filter { $0.fulfillmentOrder == number }.count == 1, "fulfilled twice")
        #expect(try station.store.status().outboxDepth == 0 && (try station.store.status().deadLetters) == 0)
        await hub.stop()
    }

    /// Shopify requests a cancellation of an order the station labelled: the conflict rules intercept
    /// it, its ShipEngine label is voided, and the station accepts the request.
    @Test func aCancellationRequest_isIntercepted_itsLabelVoided_andTheRequestAccepted() async throws {
        let folder = try TemporaryDirectory()
        let (hub, station, id, number) = try await Self.stationWithAnOrder(folder)
        try Self.claimAndLabel(station, id)
        try await station.settle()
        let label = try #require(try station.store.carrierLabels(orderID: id).first)
        let hubOrder = try #require(try hub.store.emulatedFulfillmentOrder(number)).order.id
        _ = try hub.store.cancelOrder(hubOrder)
        #expect(try hub.store.emulatedFulfillmentOrder(number)?.requestStatus == "CANCELLATION_REQUESTED")
        try await station.settle()

        #expect(try station.store.order(id: id)?.state == .cancelled)
        #expect(try station.store.conflicts(openOnly: false).contains { $0.entityID == id && $0.rule == "intercept" })
        #expect(try hub.store.emulatedFulfillmentOrder(number)?.status == "CANCELLED", "the request was not accepted")
        #expect(try station.store.providerVoids(orderID: id).map(\.state) == ["approved"], "the label was not voided at ShipEngine")
        #expect(try hub.store.emulatedLabels().first { $0.labelID.uppercased() == label.labelID }?.voided == true)
        #expect(try await Self.view(hub).fulfillments.isEmpty)
        await hub.stop()
    }

    /// The customer's address changes in the store after the station labelled the order: the relabel
    /// rule voids the label at ShipEngine, and a new one is bought for the new address.
    @Test func anAddressEditInTheStore_afterLabelling_voidsTheLabel_andBuysOneForTheNewAddress() async throws {
        let folder = try TemporaryDirectory()
        let (hub, station, id, number) = try await Self.stationWithAnOrder(folder)
        try Self.claimAndLabel(station, id)
        try await station.settle()
        let first = try #require(try station.store.carrierLabels(orderID: id).first)
        let hubOrder = try #require(try hub.store.emulatedFulfillmentOrder(number)).order.id
        try hub.store.editAddress(
            hubOrder,
            to: CentralAPI.Address(name: "New Name", street1: "9 New Road", city: "Oakland", region: "CA", postalCode: "94601", country: "US")
        )
        try await station.settle()
        try await station.settle()

        #expect(try station.store.conflicts(openOnly: false).contains { $0.entityID == id && $0.rule == "relabel" })
        #expect(try station.store.providerVoids(orderID: id).map(\.state) == ["approved"])
        let sold = try hub.store.emulatedLabels()
        #expect(sold.count == 2)
        #expect(sold.first { $0.labelID.uppercased() == first.labelID }?.voided == true)
        let second = try #require(sold.first { $0.labelID.uppercased() != first.labelID })
        let request = try JSONDecoder().decode(ShipEngineAPI.LabelRequest.self, from: Data(second.request.utf8))
        #expect(request.shipment.shipTo.addressLine1 == "9 New Road", "the new label is for the new address")
        await hub.stop()
    }

    /// Fulfillment orders closed elsewhere (fulfilled by another app, moved): the next full sweep does
    /// not see them, and the station withdraws their orders through the conflict rules: one not
    /// started is dropped, one the station claimed is recorded as cancelled before packing (packed
    /// or labelled work would wait for a person); the others stay.
    @Test func fulfillmentOrdersClosedElsewhere_areWithdrawnAtTheNextFullSweep() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await Self.hub(folder)
        let (station, _) = try await StorefrontStation.harness(hub: hub)
        try await station.settle()
        let ids = try station.ownOrders(3)
        try #require(ids.count == 3)
        _ = try station.store.recordSampleTransition(orderID: ids[1], to: .claimed, kind: .claim)
        try await station.settle()
        for id in ids.prefix(2) {
            let number = try #require(Int(id.dropFirst(3)))
            let closed = try hub.store.transitionEmulatedFulfillmentOrder(
                number,
                from: ["OPEN", "IN_PROGRESS"],
                requestStatuses: ["SUBMITTED", "ACCEPTED"],
                to: "CLOSED",
                requestStatus: "CLOSED"
            )
            #expect(closed != nil)
        }
        try await station.settle()

        #expect(try station.store.order(id: ids[0])?.state == .cancelled, "an untouched order closed elsewhere stays open here")
        #expect(try station.store.order(id: ids[1])?.state == .cancelled)
        #expect(
            try station.store.conflicts(openOnly: false).contains { $0.entityID == ids[1] && $0.rule == "cancelled_before_packing" },
            "claimed work withdrawn without a record"
        )
        #expect(try station.store.order(id: ids[2])?.state == .assigned, "an order still open was withdrawn")
        await hub.stop()
    }

    /// A backlog of pages through a bucket someone else nearly emptied: the first request may be
    /// throttled (the client did not know), none after it (it paces to what the answers say).
    @Test func aBacklog_isPacedToTheBucket_withNoThrottledAnswerAfterTheFirst() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await Self.hub(folder, orders: 120, restoreRate: 400)
        // Spend most of the bucket with a page request of our own.
        let (spender, _) = try await StorefrontStation.harness(hub: hub, pageSize: 38)
        _ = try await spender.engine.source.pull()
        let (station, client) = try await StorefrontStation.harness(hub: hub, pageSize: 38)
        let report = try await station.engine.source.pull()

        #expect(report.pages >= 2)
        let throttled = try await Self.view(hub).requests["throttled"] ?? 0
        #expect(throttled <= 1, "throttled \(throttled) times")
        #expect(client.statistics.throttled <= 1)
        #expect(client.statistics.secondsWaited > 0, "it never waited for the bucket")
        await hub.stop()
    }

    /// A line item whose SKU the catalog lacks: that fulfillment order is quarantined with the
    /// reason, and the others of its page apply.
    @Test func aLineItemOfAnUnknownSKU_quarantinesItsOrder_andTheOthersApply() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await Self.hub(folder)
        let station = try TemporaryDirectory()
        // The catalog file without one SKU that an order of station-1 uses.
        let catalog = try await hub.send("GET", "/admin/emulators/storefront/catalog?station=station-1")
        let order = try hub.store.order(id: try #require(try Self.stationOrders(hub).first)).order
        let missing = try #require(order.lines.first?.sku)
        let page = try JSONDecoder().decode(CentralAPI.ChangesPage.self, from: Data(catalog.body))
        let kept = page.changes.filter { !($0.entity == "sku" && $0.id == missing) }.map { change in
            FeedPageText.Change(
                entity: change.entity,
                id: change.id,
                version: change.version,
                data: change.data.map { String(decoding: try! JSONEncoder().encode($0), as: UTF8.self) }
            )
        }
        try Data(FeedPageText.render(kept, nextCursor: "catalog")).write(to: URL(fileURLWithPath: station.file("catalog.json")))
        let (harness, _) = try await StorefrontStation.harness(hub: hub, folder: station)
        try await harness.settle()

        let quarantined = try harness.store.quarantined()
        #expect(!quarantined.isEmpty)
        #expect(quarantined.allSatisfy { $0.reason.contains("matches no SKU of the catalog") }, "\(quarantined.map(\.reason))")
        #expect(try harness.store.replicaVersions(of: .order).count == (try Self.stationOrders(hub).count) - quarantined.count)
        await hub.stop()
    }

    /// Shopify's answers come cut off (truncated) after the fulfillment was created: an unknown
    /// outcome, as with no answer, not a refusal. However often it happens the operation is no dead
    /// letter; once answers come whole, the fulfillment the first try created is found, none created again.
    @Test func aFulfillmentWhoseAnswersComeCutOff_isNoDeadLetter_andIsFoundOnce() async throws {
        let folder = try TemporaryDirectory()
        let (hub, station, id, number) = try await Self.stationWithAnOrder(folder)
        try Self.claimAndLabel(station, id)
        try await station.settle()
        _ = try station.store.recordSampleTransition(orderID: id, to: .shipped, kind: .ship)
        try await hub.setFaults("storefront:truncate:1")
        var cycles = 0
        while cycles < 100, let entry = try station.store.duePushEntries(limit: 10, now: .distantFuture).first, entry.attempts < 4 {
            let report = await station.engine.cycle(pull: false)
            if let error = report.error { #expect(error.code == .transport, "\(error)") }
            cycles += 1
        }
        #expect(try await Self.view(hub).fulfillments.count == 1, "the first try created the fulfillment")
        #expect(try station.store.status().deadLetters == 0, "a cut-off answer made a dead letter")
        try await hub.setFaults("")
        try await station.settle()

        #expect(try await Self.view(hub).fulfillments.filter { $0.fulfillmentOrder == number }.count == 1, "fulfilled twice")
        #expect(try station.store.status().outboxDepth == 0 && (try station.store.status().deadLetters) == 0)
        await hub.stop()
    }

    /// Half of the store's answers fail (503): a read is asked again in place, up to three times, so
    /// most reads still come back and a sweep's page is not thrown away for one lost read; a
    /// mutation is sent once (its retries belong to the push, which reads the store first).
    @Test func aFailedRead_isAskedAgainInPlace_aMutationIsSentOnce() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await Self.hub(folder)
        let (_, client) = try await StorefrontStation.harness(hub: hub)
        let id = ShopifyAPI.IDVariables(id: "gid://shopify/FulfillmentOrder/\(HubStore.fulfillmentOrderBase + 1)")
        try await hub.setFaults("storefront:503:0.5,seed=11")
        var failedReads = 0
        for _ in 0..<20 {
            do {
                _ = try await client.run(.fulfillmentOrderFulfillments, variables: id, as: ShopifyAPI.FulfillmentOrderFulfillments.self)
            } catch {
                failedReads += 1
            }
        }
        let reads = try await hub.faultCounts().requests["storefront"] ?? 0
        #expect(reads > 25, "20 reads under 50 % failures were sent \(reads) times: none was asked again")
        #expect(failedReads <= 6, "\(failedReads) of 20 reads failed: one in eight should, not one in two")

        try await hub.setFaults("storefront:503:0.5,seed=11")
        for _ in 0..<10 {
            _ = try? await client.run(.acceptCancellationRequest, variables: id, as: ShopifyAPI.AcceptCancellationRequestData.self)
        }
        #expect(try await hub.faultCounts().requests["storefront"] == 10, "a mutation was sent again by the client")
        await hub.stop()
    }
}
