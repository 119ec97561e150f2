import Foundation
import Logging
import Synchronization
import Testing
import WaybillCore
import WaybillHTTP
import WaybillHub
import WaybillStore
import WaybillSync
import WaybillTestSupport

@testable import WaybillAgent

/// The planner with the shipping provider's live prices (`shipping.live_rates`), against the hub's
/// ShipEngine emulator over loopback: a box goes by the service the provider prices lowest now, its
/// label costs what the plan said, and when the provider cannot answer the rate table prices it.
///
/// The planner gets no search time here (`budget: .zero`): its first construction depends on nothing
/// but the order, so a plan with live prices and one without can be compared box for box.
@Suite(.timeLimit(.minutes(3))) struct LiveRatesTests {
    static let apiKey = "TEST_waybill_emulator_key"

    /// A station in sync with a fresh hub whose labels and live prices come from the emulator.
    private func station(in folder: TemporaryDirectory, requestsPerMinute: Int = 6000) async throws -> (RunningHub, SyncHarness) {
        let hub = try await RunningHub.start(
            databasePath: folder.file("hub.sqlite"),
            orders: 40,
            shipping: ShippingEmulation(apiKey: Self.apiKey, requestsPerMinute: requestsPerMinute)
        )
        let station = try SyncHarness(hub: hub, folder: folder) { store, logger in
            ShipEngineLabelProvider.emulated(base: hub.base, apiKey: Self.apiKey, store: store, logger: logger, requestsPerMinute: requestsPerMinute)
        }
        try await station.settle()
        return (hub, station)
    }

    private func liveRates(_ station: SyncHarness, freshFor: TimeInterval = 600, clock: TestClock? = nil) -> LiveRates {
        var logger = Logger(label: "test.live-rates")
        logger.logLevel = .critical
        return LiveRates(
            provider: station.engine.labelProvider,
            store: station.store,
            logger: logger,
            freshFor: freshFor,
            now: { clock?.now ?? Date() }
        )
    }

    /// A clock the test moves.
    final class TestClock: Sendable {
        private let time = Mutex(Date())
        var now: Date { time.withLock { $0 } }
        func advance(by seconds: TimeInterval) { time.withLock { $0 += seconds } }
    }

    /// The lowest of the provider's prices for a box among the services the rate table can carry it with.
    private func cheapest(_ prices: [String: Double], for box: PlannedBox, residential: Bool) -> (key: String, value: Double)? {
        prices.filter { service, _ in
            RateModel.packingBench.services.first { $0.code == service }?
                .quote(outerDims: box.outerDims, grossLb: box.grossLb, zone: box.zone, residential: residential) != nil
        }
        .min { ($0.value, $0.key) < ($1.value, $1.key) }
    }

    /// The carrier's prices now, as factors of the rate model by service code.
    private func setCarrierPrices(_ hub: RunningHub, _ factors: [String: Double]) async throws {
        let response = try await hub.send("PUT", "/admin/emulators/shipping/prices", body: try encode(factors))
        try #require(response.status == 200, "\(response.text)")
    }

    private func rateRequests(_ hub: RunningHub) async throws -> Int {
        try await requests(hub)["rates", default: 0]
    }

    private func requests(_ hub: RunningHub) async throws -> [String: Int] {
        struct View: Decodable { let requests: [String: Int] }
        return try JSONDecoder().decode(View.self, from: Data(try await hub.send("GET", "/admin/emulators/shipping").body)).requests
    }

    private func parcel(of box: PlannedBox, orderID: String, store: WaybillStore) throws -> RateParcel {
        let order = try store.packingInputs(orderID: orderID).order
        return RateParcel(
            shipTo: order.shipTo,
            residential: order.residential,
            dims: box.outerDims,
            weightLb: box.grossLb,
            services: RateModel.packingBench.services.map(\.code)
        )
    }

    @Test func aPlan_goesByTheProvidersPricesNow_andItsLabelsCostWhatThePlanSaid() async throws {
        let folder = try TemporaryDirectory()
        let (hub, station) = try await station(in: folder)
        let orders = try station.ownOrders(6)
        try #require(orders.count == 6)
        let table = OrderPacker(store: station.store, budget: .zero)
        // The carrier now charges three times the table for the service the first box goes by, and less for the rest.
        let dearer = try #require(try await table.plan(orderID: orders[0]).boxes.first).service
        let services = RateModel.packingBench.services.map(\.code)
        try await setCarrierPrices(hub, Dictionary(uniqueKeysWithValues: services.map { ($0.lowercased(), $0 == dearer ? 3.0 : 0.5) }))

        let packer = OrderPacker(store: station.store, budget: .zero, liveRates: liveRates(station))
        var switched = 0
        for id in orders {
            let tablePlan = try await table.plan(orderID: id)
            let plan = try await packer.plan(orderID: id)
            #expect(plan.boxes.map(\.boxID) == tablePlan.boxes.map(\.boxID), "the table decides the boxes")
            for (box, tableBox) in zip(plan.boxes, tablePlan.boxes) {
                // What the provider answers for this box, asked here directly.
                let prices = try #require(try await station.engine.labelProvider.prices(of: parcel(of: box, orderID: id, store: station.store)))
                let residential = try station.store.packingInputs(orderID: id).order.residential
                let lowest = try #require(cheapest(prices, for: box, residential: residential))
                #expect(box.service == lowest.key, "order \(id) box \(box.boxNo): \(prices)")
                #expect(box.postage == lowest.value)
                if box.service != tableBox.service { switched += 1 }
            }
        }
        #expect(switched > 0, "the provider's prices changed some box's service")

        // Bought: each label costs what the plan said.
        let shipment = try await packer.pack(orderID: orders[0], plannedBy: "test")
        try station.store.recordOrderTransition(
            orderID: orders[0],
            to: .labelled,
            kind: .labelRequest,
            payload: CentralAPI.LabelRequestPayload(boxes: shipment.boxes.count)
        )
        try await station.settle()
        try await station.settle()
        let labels = try station.store.carrierLabels(orderID: orders[0])
        #expect(labels.count == shipment.boxes.count)
        for box in shipment.boxes {
            let label = try #require(labels.first { $0.boxNo == box.boxNo })
            #expect(label.cost == box.postage, "box \(box.boxNo) planned at \(box.postage), bought at \(label.cost)")
        }
        await hub.stop()
    }

    @Test func withTheProviderDown_theTablePrices_andTheProviderIsLeftAloneAWhile() async throws {
        let folder = try TemporaryDirectory()
        let (hub, station) = try await station(in: folder)
        let id = try #require(try station.ownOrders(1).first)
        try await setCarrierPrices(hub, ["sim_ground": 2, "sim_postal": 2])
        let tablePlan = try await OrderPacker(store: station.store, budget: .zero).plan(orderID: id)
        let clock = TestClock()
        let live = liveRates(station, clock: clock)
        let packer = OrderPacker(store: station.store, budget: .zero, liveRates: live)

        try await hub.setFaults("shipping:503:1")
        let down = try await packer.plan(orderID: id)
        #expect(down.boxes == tablePlan.boxes, "priced from the table")
        let parcels = try Set(tablePlan.boxes.map { try parcel(of: $0, orderID: id, store: station.store).key }).count
        #expect(live.current.fellBack == parcels)
        #expect(live.current.problem?.contains("503") == true, "\(live.current.problem ?? "no problem recorded")")
        #expect(live.current.pausedUntil != nil)
        #expect(try station.store.syncState()[.livePricesError]?.contains("503") == true, "where `waybill status` reads it")

        // Back up, but within the pause nothing is asked: the next plan is the table's again, at once.
        try await hub.setFaults("")
        let paused = try await packer.plan(orderID: id)
        #expect(paused.boxes == tablePlan.boxes)
        #expect(try await rateRequests(hub) == 0)

        // A minute on, the provider is asked again, and its prices are back.
        clock.advance(by: 61)
        let back = try await packer.plan(orderID: id)
        #expect(try await rateRequests(hub) == parcels)
        #expect(live.current.problem == nil && live.current.pausedUntil == nil)
        #expect(back.boxes.map(\.postage) != tablePlan.boxes.map(\.postage), "the provider's doubled prices")
        let recorded = try station.store.syncState()[.livePricesError]
        #expect(recorded == nil, "status no longer says the table prices: \(recorded ?? "")")
        await hub.stop()
    }

    @Test func aParcel_isAskedForOnce_whileItsPricesAreFresh() async throws {
        let folder = try TemporaryDirectory()
        let (hub, station) = try await station(in: folder)
        let id = try #require(try station.ownOrders(1).first)
        let packer = OrderPacker(store: station.store, budget: .zero, liveRates: liveRates(station))
        let first = try await packer.plan(orderID: id)
        let parcels = try Set(first.boxes.map { try parcel(of: $0, orderID: id, store: station.store).key }).count
        let asked = try await rateRequests(hub)
        #expect(asked == parcels, "each parcel asked for once")
        let second = try await packer.plan(orderID: id)
        #expect(second.boxes == first.boxes)
        #expect(try await rateRequests(hub) == asked, "kept, not asked again")

        // Once stale, asked again.
        _ = try await OrderPacker(store: station.store, budget: .zero, liveRates: liveRates(station, freshFor: 0)).plan(orderID: id)
        #expect(try await rateRequests(hub) == asked + parcels)
        await hub.stop()
    }

    /// ShipEngine's requests a minute are the labels' first: a plan that would wait long for them
    /// prices from the table at once, and the provider never has to refuse the station.
    @Test func whenTheAccountsRequestsRunLow_theTablePrices_andTheProviderIsNeverOverrun() async throws {
        let folder = try TemporaryDirectory()
        let (hub, station) = try await station(in: folder, requestsPerMinute: 20)
        let id = try #require(try station.ownOrders(1).first)
        let tablePlan = try await OrderPacker(store: station.store, budget: .zero).plan(orderID: id)
        // Nothing kept: every plan asks again.
        let live = liveRates(station, freshFor: 0)
        let packer = OrderPacker(store: station.store, budget: .zero, liveRates: live)
        var plans = 0
        while live.current.fellBack == 0, plans < 30 {
            _ = try await packer.plan(orderID: id)
            plans += 1
        }
        #expect(live.current.fellBack > 0, "the account's budget ran low within \(plans) plans")
        #expect(live.current.problem?.contains("requests a minute") == true, "\(live.current.problem ?? "")")
        // Left alone a while: the next plan is the table's, whole.
        #expect(try await packer.plan(orderID: id).boxes == tablePlan.boxes)
        let seen = try await requests(hub)
        #expect(seen["throttled", default: 0] == 0, "the provider never refused a request: \(seen)")
        #expect(seen["rates", default: 0] < plans * tablePlan.boxes.count)
        await hub.stop()
    }

    /// A parcel the provider refuses as it is (an address its carrier cannot rate) is that parcel's
    /// problem: it is priced from the table, not asked for again while the refusal is fresh, and the
    /// provider is not taken for down.
    @Test func aParcelTheProviderRefuses_isPricedFromTheTable_andNotAskedForAgainAWhile() async throws {
        let folder = try TemporaryDirectory()
        let (hub, station) = try await station(in: folder)
        let id = try #require(try station.ownOrders(1).first)
        let moved = try await hub.send(
            "POST",
            "/admin/orders/\(id)/address",
            body: #"{"name":"Nobody","street1":"1 Nowhere","city":"Void","region":"CA","postal_code":"00000","country":"US"}"#
        )
        try #require(moved.status == 200)
        try await station.settle()
        try await setCarrierPrices(hub, ["sim_ground": 2, "sim_postal": 2])
        let tablePlan = try await OrderPacker(store: station.store, budget: .zero).plan(orderID: id)
        let live = liveRates(station)
        let packer = OrderPacker(store: station.store, budget: .zero, liveRates: live)

        #expect(try await packer.plan(orderID: id).boxes == tablePlan.boxes, "priced from the table")
        let asked = try await rateRequests(hub)
        #expect(asked > 0)
        #expect(live.current.problem == nil && live.current.pausedUntil == nil, "the provider is not down")
        #expect(try station.store.syncState()[.livePricesError] == nil)
        #expect(try await packer.plan(orderID: id).boxes == tablePlan.boxes)
        #expect(try await rateRequests(hub) == asked, "the refusal is kept, not asked again")
        await hub.stop()
    }

    /// Refusal after refusal for parcels to different addresses is the account's problem (here a
    /// carrier id the provider does not know), not theirs: the provider is left alone a while and
    /// `waybill status` says what to check.
    @Test func refusalsForEveryAddress_areTheAccountsProblem_andStatusSaysSo() async throws {
        let folder = try TemporaryDirectory()
        let (hub, station) = try await station(in: folder)
        var logger = Logger(label: "test.live-rates")
        logger.logLevel = .critical
        let wrong = ShipEngineLabelProvider(
            settings: ShipEngineSettings(
                baseURL: hub.base + "/shipengine",
                apiKey: Self.apiKey,
                carrierID: "ups-7",
                warehouseID: "se-2002",
                requestsPerMinute: 6000
            ),
            http: CurlHTTPClient(configuration: .init(connectTimeout: .milliseconds(500), requestTimeout: .seconds(2))),
            store: station.store,
            logger: logger
        )
        let live = LiveRates(provider: wrong, store: station.store, logger: logger)
        let packer = OrderPacker(store: station.store, budget: .zero, liveRates: live)
        var addresses: Set<String> = []
        for id in try station.ownOrders(12) where live.current.problem == nil {
            addresses.insert(try station.store.packingInputs(orderID: id).order.shipTo.postalCode)
            _ = try await packer.plan(orderID: id)
        }
        #expect(addresses.count >= 3)
        #expect(live.current.problem?.contains("check shipping") == true, "\(live.current)")
        #expect(live.current.pausedUntil != nil)
        #expect(try station.store.syncState()[.livePricesError]?.contains("carrier_ids") == true)
        await hub.stop()
    }
}
