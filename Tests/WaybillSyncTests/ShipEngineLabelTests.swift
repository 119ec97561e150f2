import Foundation
import Logging
import Testing
import WaybillCore
import WaybillHTTP
import WaybillHub
import WaybillHubStore
import WaybillStore
import WaybillSync
import WaybillTestSupport

/// Carrier labels bought from ShipEngine's label API (the hub's emulator of it, over loopback):
/// once per box whatever the lost answers and restarts, refusals kept for people, voids sent.
@Suite(.timeLimit(.minutes(5))) struct ShipEngineLabelTests {
    static let apiKey = "TEST_waybill_emulator_key"

    /// A station whose labels come from the emulator, in sync with a fresh hub, and `orders` of its
    /// orders planned in `boxes` boxes each and at `label_request`. `prepare` runs on the hub first.
    private func station(
        in hubFolder: TemporaryDirectory,
        orders: Int = 1,
        boxes: Int = 1,
        requestsPerMinute: Int = 200,
        labelFormat: LabelFormat = .zpl,
        folder: TemporaryDirectory? = nil,
        hub existing: RunningHub? = nil,
        prepare: (RunningHub, [String]) async throws -> Void = { _, _ in }
    ) async throws -> (RunningHub, SyncHarness, [String]) {
        let hub =
            if let existing { existing } else {
                try await RunningHub.start(
                    databasePath: hubFolder.file("hub.sqlite"),
                    orders: 40,
                    shipping: ShippingEmulation(apiKey: Self.apiKey, requestsPerMinute: requestsPerMinute)
                )
            }
        let station = try SyncHarness(hub: hub, folder: folder) { store, logger in
            ShipEngineLabelProvider.emulated(base: hub.base, apiKey: Self.apiKey, store: store, logger: logger, labelFormat: labelFormat)
        }
        guard existing == nil else { return (hub, station, []) }
        try await station.settle()
        let ids = try station.ownOrders(orders)
        try #require(ids.count == orders)
        try await prepare(hub, ids)
        try await station.settle()
        for id in ids {
            try station.store.recordSampleLabelRequest(orderID: id, boxes: boxes)
        }
        return (hub, station, ids)
    }

    private func emulated(_ hub: RunningHub) async throws -> (labels: [EmulatedLabel], requests: [String: Int]) {
        struct View: Decodable {
            let labels: [EmulatedLabel]
            let requests: [String: Int]
        }
        let decoder = JSONDecoder()
        let view = try decoder.decode(View.self, from: Data(try await hub.send("GET", "/admin/emulators/shipping").body))
        return (view.labels, view.requests)
    }

    @Test func eachBox_getsOneLabel_withTheProvidersDocumentTrackingAndCost() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, ids) = try await station(in: hubFolder, boxes: 2)
        try await station.settle()
        try await station.settle()

        let sold = try await emulated(hub).labels
        #expect(sold.count == 2)
        #expect(Set(sold.compactMap(\.externalShipmentID)).count == 2, "one external_shipment_id per box")
        #expect(try station.store.labelPurchasesDue().isEmpty)
        let toPrint = try station.store.carrierLabelsToPrint()
        #expect(Set(toPrint.map(\.labelID)) == Set(sold.map { $0.labelID.uppercased() }), "ShipEngine's ids, upper-cased for the printer")
        for label in toPrint {
            let document = String(decoding: label.bytes, as: UTF8.self)
            let bought = try #require(sold.first { $0.labelID.uppercased() == label.labelID })
            #expect(document == bought.zpl, "the provider's ZPL, as downloaded")
            #expect(document.contains(bought.trackingNumber))
            #expect(label.orderID == ids[0])
        }
        // The request carried the order's address and the box's weight and dimensions.
        let request = try JSONDecoder().decode(ShipEngineAPI.LabelRequest.self, from: Data(sold[0].request.utf8))
        #expect(request.shipment.serviceCode == "sim_ground")
        #expect(request.shipment.packages.first?.weight.value == 3.5)
        #expect(request.shipment.packages.first?.dimensions?.length == 12)
        #expect(request.shipment.warehouseID == "se-2002")
        #expect(!request.shipment.shipTo.addressLine1.isEmpty)
        let stored = try station.store.carrierLabels(orderID: ids[0])
        #expect(stored.map(\.cost).sorted() == sold.map(\.cost).sorted(), "the cost the provider charged")
        #expect(stored.map(\.trackingNumber).sorted() == sold.map(\.trackingNumber).sorted())
        await hub.stop()
    }

    /// `shipping.label_format: pdf`, for a station that prints carrier labels on a document printer:
    /// ShipEngine is asked for PDF, the PDF is downloaded and checked, and it is what prints.
    @Test func aPDFStation_buysPDFLabels_andPrintsTheProvidersDocument() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, ids) = try await station(in: hubFolder, boxes: 2, labelFormat: .pdf)
        try await station.settle()
        try await station.settle()

        let sold = try await emulated(hub).labels
        #expect(sold.count == 2)
        for label in sold {
            let request = try JSONDecoder().decode(ShipEngineAPI.LabelRequest.self, from: Data(label.request.utf8))
            #expect(request.labelFormat == "pdf")
        }
        let toPrint = try station.store.carrierLabelsToPrint()
        #expect(toPrint.count == 2 && toPrint.allSatisfy { $0.format == .pdf })
        for label in toPrint {
            let served = try await hub.send("GET", "/shipengine/v1/downloads/\(label.labelID.lowercased()).pdf")
            #expect(served.status == 200)
            #expect(label.bytes == served.body, "the provider's PDF, byte for byte")
            #expect(label.bytes.starts(with: Array("%PDF-".utf8)))
        }
        let stored = try station.store.carrierLabels(orderID: ids[0])
        #expect(stored.allSatisfy { $0.format == "pdf" && $0.zpl == nil && $0.pdfBase64 != nil })
        await hub.stop()
    }

    /// A client reset empties the replica, and the hub's labels come back with its feed; a label
    /// ShipEngine sold comes back through no feed, so the reset keeps it: nothing is looked up or
    /// bought again, and the same document prints.
    @Test func aClientReset_keepsTheLabelsTheProviderSold() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, ids) = try await station(in: hubFolder, boxes: 2)
        try await station.settle()
        let bought = try station.store.carrierLabels(orderID: ids[0])
        #expect(bought.count == 2)
        let requests = try await emulated(hub).requests

        _ = try await station.engine.resetReplica(mode: .recover)
        #expect(try station.store.carrierLabels(orderID: ids[0]) == bought, "the reset dropped the provider's labels")
        try await station.settle()
        #expect(try station.store.labelPurchasesDue().isEmpty)
        #expect(try station.store.carrierLabels(orderID: ids[0]) == bought)
        #expect(try await emulated(hub).labels.count == 2, "a label was bought again after the reset")
        #expect(try await emulated(hub).requests == requests, "the provider was asked again after the reset")
        await hub.stop()
    }

    /// The label is sold and the answer is lost (the connection dropped before it), then the station
    /// restarts: the new process knows only its database, which says a purchase went out; it looks the
    /// label up by `external_shipment_id` and buys nothing twice.
    @Test func aPurchaseWhoseAnswerIsLost_isLookedUp_notBoughtAgain_afterARestart() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, first, _) = try await station(in: hubFolder)
        try await hub.setFaults("shipping:lost:1")
        let lost = await first.engine.cycle()
        #expect(lost.labelError?.code == .transport, "the purchase's answer was not lost: \(String(describing: lost.labelError))")
        #expect(lost.error == nil, "the provider's failure is not the central API's")
        #expect(try await emulated(hub).labels.count == 1, "the emulator sold the label")
        try await hub.setFaults("")

        let (_, station, _) = try await station(in: hubFolder, folder: first.folder, hub: hub)
        try await station.settle()
        try await station.settle()

        let sold = try await emulated(hub).labels
        #expect(sold.count == 1, "bought twice: \(sold.map(\.labelID))")
        #expect(try station.store.carrierLabelsToPrint().map(\.labelID) == sold.map { $0.labelID.uppercased() })
        #expect(try station.store.labelPurchasesDue().isEmpty)
        await hub.stop()
    }

    /// The provider is still selling the label when the station gives up waiting (its server does not
    /// stop when the client goes away), and a restarted process asks at once: the look-up finds
    /// nothing yet, and the box is not bought again; once the held purchase sells, the look-up finds
    /// its label and the box takes it. One label is sold under the key.
    @Test func aPurchaseTheProviderIsStillSelling_isWaitedFor_afterARestart_notBoughtTwice() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, first, _) = try await station(in: hubFolder)
        // Held well past the station's 2 s request timeout (a restart and a cycle fit in between), then sold.
        try await hub.setFaults("shipping:latency:1:10000")
        let timedOut = await first.engine.cycle()
        #expect(timedOut.labelError?.code == .transport, "the purchase did not time out: \(String(describing: timedOut.labelError))")
        try await hub.setFaults("")
        let key = try #require(try first.store.labelPurchasesDue().first?.idempotencyKey)

        let (_, station, _) = try await station(in: hubFolder, folder: first.folder, hub: hub)
        let early = await station.engine.cycle()
        #expect(early.labelError == nil, "\(String(describing: early.labelError))")
        #expect(try station.store.labelPurchasesDue().count == 1, "the box waits for the held purchase")
        // Until the emulator has sold a label for every purchase request the station sent (the held one
        // last): one when the station waited for it, two when it bought again.
        let sent = try #require(try station.store.labelAttempt(key: key)?.attempts)
        #expect(sent == 1, "bought again while the first purchase was being sold")
        try await ChildProcess.poll("the held purchase never sold") { try await emulated(hub).labels.count >= sent }

        try await station.settle()
        let sold = try await emulated(hub).labels
        #expect(sold.count == 1, "bought twice: \(sold.map(\.labelID))")
        #expect(try station.store.carrierLabelsToPrint().map(\.labelID) == sold.map { $0.labelID.uppercased() })
        await hub.stop()
    }

    /// A purchase whose request never reached the provider (the connection dropped first), and a
    /// restarted station whose backoff is long: the look-up finds nothing, and the box waits a minute
    /// after that request (the provider might still be selling it), looked up again meanwhile, then
    /// buys its label when the minute is over, not after its longer backoff; nothing stays stuck.
    @Test func aPurchaseThatNeverReachedTheProvider_isBought_onceItsRequestIsAMinuteOld() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, first, _) = try await station(in: hubFolder)
        try await hub.setFaults("shipping:drop:1")
        #expect(await first.engine.cycle().labelError?.code == .transport)
        try await hub.setFaults("")

        let station = try SyncHarness(hub: hub, retry: RetryPolicy(base: .seconds(600), cap: .seconds(3600)), folder: first.folder) {
            store,
            logger in
            ShipEngineLabelProvider.emulated(base: hub.base, apiKey: Self.apiKey, store: store, logger: logger)
        }
        let asked = try await emulated(hub).requests["admitted"] ?? 0
        let early = await station.engine.cycle()
        #expect(early.labelError == nil && early.labelsPausedUntil == nil, "\(String(describing: early.labelError))")
        #expect(try await emulated(hub).requests["admitted"] ?? 0 > asked, "the provider was not asked")
        #expect(try await emulated(hub).labels.isEmpty, "bought again less than a minute after an unanswered request")
        #expect(try station.store.labelPurchasesDue().count == 1)

        let late = await station.engine.cycle(now: Date().addingTimeInterval(LabelPurchaser.settleGrace + 1))
        #expect(late.labelError == nil, "\(String(describing: late.labelError))")
        let sold = try await emulated(hub).labels
        #expect(sold.count == 1, "not bought once the minute was over")
        #expect(try station.store.carrierLabelsToPrint().map(\.labelID) == sold.map { $0.labelID.uppercased() })
        await hub.stop()
    }

    /// The label is sold but its answer lost, and before the station asks again the customer changes
    /// the address (a relabel) or cancels (an intercept). The purchase is given up: the label sold
    /// for the old address is found and voided at the provider, and a relabelled box is bought again,
    /// for the new address, under a new key; the old label is never taken for the box.
    @Test(arguments: ["address", "cancel"])
    func aLabelWhoseAnswerWasLost_beforeTheOrderChanged_isVoided_notTakenForTheBox(change: String) async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, ids) = try await station(in: hubFolder)
        try await hub.setFaults("shipping:lost:1")
        let lost = await station.engine.cycle()
        #expect(lost.labelError?.code == .transport, "the purchase's answer was not lost: \(String(describing: lost.labelError))")
        let first = try #require(try await emulated(hub).labels.first)

        let moved = #"{"name":"Ann Moved","street1":"9 New Street","city":"Oakland","region":"CA","postal_code":"94607","country":"US"}"#
        let body = change == "address" ? moved : ""
        let changed = try await hub.send("POST", "/admin/orders/\(ids[0])/\(change)", body: body)
        try #require(changed.status == 200, "\(changed.text)")
        // The provider fails the next look-up, so the change is pulled before the station learns of its label.
        try await hub.setFaults("shipping:503:1")
        let pulled = await station.engine.cycle()
        #expect(pulled.labelError?.status == 503 && pulled.error == nil, "\(String(describing: pulled.labelError))")
        #expect(try station.store.carrierLabels(orderID: ids[0]).isEmpty)
        try await hub.setFaults("")
        try await station.settle()
        try await station.settle()

        let sold = try await emulated(hub).labels
        #expect(sold.first { $0.labelID == first.labelID }?.voided == true, "the label sold for the old order is voided: \(sold)")
        let given = try station.store.abandonedLabelAttempts(orderID: ids[0])
        #expect(given.count == 1 && given.first?.outcome == "label \(first.labelID) voided", "\(given)")
        let labels = try station.store.carrierLabels(orderID: ids[0])
        #expect(!labels.contains { $0.labelID == first.labelID.uppercased() }, "the old label was taken for the box")
        if change == "address" {
            #expect(sold.count == 2, "bought again for the new address: \(sold.map(\.labelID))")
            let again = try #require(sold.first { $0.labelID != first.labelID })
            let request = try JSONDecoder().decode(ShipEngineAPI.LabelRequest.self, from: Data(again.request.utf8))
            #expect(request.shipment.shipTo.addressLine1 == "9 New Street")
            #expect(!again.voided)
            #expect(labels.map(\.labelID) == [again.labelID.uppercased()])
        } else {
            #expect(sold.count == 1 && labels.isEmpty, "nothing bought for a cancelled order")
        }
        await hub.stop()
    }

    /// A purchase given up whose request the provider never processed (the connection dropped
    /// before it): the look-up finds nothing, which counts only once the request is a minute old
    /// (a provider may still be processing it); then it is recorded as none sold, and the box has its
    /// label under its new key.
    @Test func aGivenUpPurchaseThatSoldNothing_isSettledOnlyOnceItsRequestIsAMinuteOld() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, ids) = try await station(in: hubFolder)
        try await hub.setFaults("shipping:drop:1")
        _ = await station.engine.cycle()
        #expect(try await emulated(hub).labels.isEmpty)
        let moved = #"{"name":"Ann Moved","street1":"9 New Street","city":"Oakland","region":"CA","postal_code":"94607","country":"US"}"#
        try #require(try await hub.send("POST", "/admin/orders/\(ids[0])/address", body: moved).status == 200)
        try await hub.setFaults("shipping:503:1")
        _ = await station.engine.cycle()
        try await hub.setFaults("")

        _ = await station.engine.cycle()
        let early = try station.store.abandonedLabelAttempts(orderID: ids[0])
        #expect(early.count == 1 && early.first?.outcome == nil, "settled before its request was a minute old: \(early)")
        #expect(try station.store.carrierLabels(orderID: ids[0]).count == 1, "the box's purchase does not wait for it")

        _ = await station.engine.cycle(now: Date().addingTimeInterval(120))
        let late = try station.store.abandonedLabelAttempts(orderID: ids[0])
        #expect(late.first?.outcome?.hasPrefix("no label was sold") == true, "\(late)")
        #expect(try await emulated(hub).labels.count == 1)
        await hub.stop()
    }

    /// A carrier refuses one order's address: that box waits with the provider's words kept for a
    /// person, and the other order's label is bought in the same round.
    @Test func aRefusedAddress_waitsWithTheProvidersWords_andTheOtherOrderIsLabelled() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, ids) = try await station(in: hubFolder, orders: 2) { hub, ids in
            let response = try await hub.send(
                "POST",
                "/admin/orders/\(ids[0])/address",
                body: #"{"name":"Nobody","street1":"1 Nowhere","city":"Void","region":"CA","postal_code":"00000","country":"US"}"#
            )
            #expect(response.status == 200)
        }
        try await station.settle()

        let sold = try await emulated(hub).labels
        #expect(sold.count == 1)
        #expect(try station.store.carrierLabelsToPrint().map(\.orderID) == [ids[1]])
        let refusals = try station.store.labelRefusals()
        #expect(refusals.map(\.orderID) == [ids[0]])
        #expect(refusals.first?.reason.contains("invalid_address") == true)
        #expect(refusals.first?.reason.contains("postal code 00000 does not exist") == true, "\(refusals)")
        #expect(try station.store.labelPurchasesDue().map(\.purchase.orderID) == [ids[0]], "it waits; nothing is lost")
        await hub.stop()
    }

    /// Past the account's requests a minute the API answers 429 with Retry-After: the label round
    /// stops with a retryable error that carries the wait (the pull goes on), and the box it was
    /// buying stays due.
    @Test func aRateLimitedPurchase_stopsTheLabelRound_withTheProvidersRetryAfter() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, _) = try await station(in: hubFolder, orders: 3, requestsPerMinute: 2)
        let sent = Date()
        let report = await station.engine.cycle()

        #expect(report.error == nil && report.pulled?.caughtUp == true, "the pull goes on")
        let error = try #require(report.labelError)
        #expect(error.code == .httpStatus && error.status == 429, "\(error)")
        #expect((error.retryAfter ?? .zero) >= .seconds(1))
        let pause = try #require(report.labelsPausedUntil, "the label round does not wait")
        // Counted from before the request went out, whatever the time the round took.
        #expect(pause >= sent.addingTimeInterval((error.retryAfter ?? .seconds(1)).seconds), "the label round waits at least as asked")
        #expect(error.message.contains("rate_limit_exceeded"))
        let view = try await emulated(hub)
        #expect(view.labels.count == 2)
        #expect(view.requests["throttled"] == 1)
        #expect(try station.store.labelPurchasesDue().count == 1)
        await hub.stop()
    }

    /// After a lost answer, the lookup that must come before any new purchase fails (500): the station
    /// buys nothing until the lookup answers, then finds the first label.
    @Test func aFailingLookup_buysNothing_untilItAnswers() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, _) = try await station(in: hubFolder)
        try await hub.setFaults("shipping:lost:1")
        #expect(await station.engine.cycle().labelError?.code == .transport)
        try await hub.setFaults("shipping:500:1")
        for _ in 0..<3 { _ = await station.engine.cycle() }
        #expect(try await emulated(hub).labels.count == 1, "bought again while the lookup failed")
        #expect(try await hub.faultCounts().injected["500"] ?? 0 >= 1, "no lookup was tried")
        try await hub.setFaults("")
        try await station.settle()
        #expect(try await emulated(hub).labels.count == 1)
        #expect(try station.store.carrierLabelsToPrint().count == 1)
        await hub.stop()
    }

    /// The label bought under a box's key is voided at ShipEngine before the station saw it (someone
    /// in the provider's dashboard): the lookup finds it voided, and the box waits for a person
    /// instead of buying again (a new label under the same key would be looked up as the voided one).
    @Test func aLabelVoidedAtTheProvider_isNotBoughtAgain_andWaitsForAPerson() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, ids) = try await station(in: hubFolder)
        try await hub.setFaults("shipping:lost:1")
        _ = await station.engine.cycle()
        try await hub.setFaults("")
        let bought = try #require(try await emulated(hub).labels.first)
        let void = try await hub.send("PUT", "/shipengine/v1/labels/\(bought.labelID)/void", headers: [(name: "API-Key", value: Self.apiKey)])
        #expect(void.status == 200)
        try await station.settle()
        try await station.settle()

        #expect(try await emulated(hub).labels.count == 1, "bought again after a void at the provider")
        let refusal = try #require(try station.store.labelRefusals().first)
        #expect(refusal.orderID == ids[0] && refusal.reason.contains("voided at ShipEngine"), "\(refusal)")
        #expect(try station.store.labelPurchasesDue().count == 1)
        await hub.stop()
    }

    /// The key sent as `external_shipment_id` fits ShipEngine's 50 characters whatever the station
    /// id and box, and differs between boxes and between a box's labels.
    @Test func externalShipmentIDs_fitFiftyCharacters_andAreDistinct() {
        let keys = [
            String(repeating: "s", count: 64) + ":0123456789abcdef0123456789abcdef.box12345.v3",
            "station-1:0123456789abcdef0123456789abcdef.box1", "station-1:0123456789abcdef0123456789abcdef.box1.v1",
            "station-1:0123456789abcdef0123456789abcdef.box2",
        ]
        let ids = keys.map(ShipEngineLabelProvider.externalShipmentID(for:))
        #expect(ids.allSatisfy { $0.count <= 50 && $0.hasPrefix("wb-") })
        #expect(Set(ids).count == keys.count)
    }

    /// An address edit after labelling (the relabel rule) voids the label at the provider and buys a new
    /// one under a new key; a label the carrier scanned already cannot be voided, and the refusal is kept.
    @Test func aRelabel_voidsTheOldLabelAtTheProvider_andARefusedVoidIsKept() async throws {
        let hubFolder = try TemporaryDirectory()
        let (hub, station, ids) = try await station(in: hubFolder, orders: 2)
        try await station.settle()
        let first = try await emulated(hub).labels
        #expect(first.count == 2)
        let scanned = first[1]
        #expect(try await hub.send("POST", "/admin/emulators/shipping/labels/\(scanned.labelID)/use").status == 200)
        for id in ids {
            _ = try await hub.send(
                "POST",
                "/admin/orders/\(id)/address",
                body: #"{"name":"New Name","street1":"9 Rd","city":"C","region":"CA","postal_code":"90001","country":"US"}"#
            )
        }
        try await station.settle()
        try await station.settle()

        let sold = try await emulated(hub).labels
        #expect(sold.count == 4, "a new label per order for its new address")
        #expect(Set(sold.compactMap(\.externalShipmentID)).count == 4, "new keys for the new labels")
        #expect(sold.filter(\.voided).map(\.labelID) == [first[0].labelID])
        let voids = try ids.flatMap { try station.store.providerVoids(orderID: $0) }
        #expect(voids.count == 2)
        #expect(voids.first { $0.labelID == first[0].labelID.uppercased() }?.state == "approved")
        let refused = try #require(voids.first { $0.labelID == scanned.labelID.uppercased() })
        #expect(refused.state == "refused")
        #expect(refused.message?.contains("scanned") == true)
        #expect(try station.store.providerVoidsDue(provider: "shipengine").isEmpty, "a refused void is not sent again")
        await hub.stop()
    }
}
