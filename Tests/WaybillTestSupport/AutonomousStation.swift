import Foundation
import WaybillCore
public import WaybillHTTP
public import WaybillHubStore
public import WaybillStore

/// A station in autonomous mode on real parts: a seeded `waybill-hub` process, a private cupsd with
/// the queues `label` and `document`, and a configuration with `station.mode: auto`; the agent is
/// started by the test (``startAgent()``), as often as it likes.
public struct AutonomousStation {
    public let station: SyncedStation
    public let cupsd: PrivateCupsd
    public let http = CurlHTTPClient(configuration: .init(connectTimeout: .seconds(2), requestTimeout: .seconds(10)))
    /// The agent's environment besides auto mode (storefront mode sets `WAYBILL_CENTRAL_KIND`).
    public var environment: [String: String] = [:]
    /// Files the configuration names outside the station's folders (API keys, a catalog), kept as long as the station.
    public var resources: TemporaryDirectory?

    /// Starts cupsd and a seeded hub with `orders` orders and `faults` (a `--faults` spec) on;
    /// `extra` is appended to the configuration (another section, such as `scale:`), and so is what
    /// `extraForHub` makes of the hub's base URL; `hubArguments` go to `waybill-hub serve`.
    public static func start(
        orders: Int,
        faults: String = "",
        extra: String = "",
        hubArguments: [String] = [],
        extraForHub: (String) -> String = { _ in "" }
    ) async throws -> AutonomousStation {
        let cupsd = try await PrivateCupsd()
        try cupsd.addQueue("label")
        try cupsd.addQueue("document")
        let station = try await SyncedStation.start(orders: orders, faults: faults, hubArguments: hubArguments)
        let extra = [extra, extraForHub(station.hub.base)].filter { !$0.isEmpty }.joined(separator: "\n")
        try station.writeConfig(
            extra: """
                cups:
                  server: \(cupsd.server)
                printers:
                  label: label
                  document: document
                packing:
                  budget: 20ms
                """ + (extra.isEmpty ? "" : "\n" + extra)
        )
        return AutonomousStation(station: station, cupsd: cupsd)
    }

    /// Starts `waybill agent` with auto mode on through the environment, as the demo does.
    public func startAgent(log: String? = nil, environment: [String: String] = [:]) throws -> AgentProcess {
        try AgentProcess.start(
            config: station.configPath,
            environment: ["WAYBILL_STATION_MODE": "auto"].merging(self.environment) { _, own in own }.merging(environment) { _, given in given },
            logPath: log
        )
    }

    public func store() throws -> WaybillStore { try WaybillStore.open(atPath: station.storePath) }

    /// Runs `waybill ARGS --config …` to completion, with the agent's environment (auto mode on).
    public func waybill(_ arguments: [String]) async throws -> WaybillBinary.Output {
        try await WaybillBinary.run(
            arguments + ["--config", station.configPath],
            environment: ["WAYBILL_STATION_MODE": "auto"].merging(environment) { _, own in own }
        )
    }

    /// The replica's orders assigned to station-1 (not the warehouse pool).
    public func stationOrders(_ store: WaybillStore) throws -> [ReplicaOrder] {
        try store.replicaVersions(of: .order).keys.sorted().compactMap { id in
            guard let order = try store.order(id: id),
                let object = try JSONSerialization.jsonObject(with: Data(order.data.utf8)) as? [String: Any],
                object["station_id"] as? String == "station-1"
            else { return nil }
            return order
        }
    }

    /// The running `agent`'s metrics as `name{labels}` → value.
    public func metrics(_ agent: AgentProcess) async throws -> [String: Double] {
        try PrometheusText.parse(try await http.send(HTTPRequest(url: try await agent.httpBase() + "/metrics")).text)
    }

    /// Creates an order for station-1 centrally (the hub's admin API) with one unit of `sku`; returns its id.
    public func createOrder(sku: String) async throws -> String {
        try await createOrder(skus: [sku])
    }

    /// Creates an order for station-1 centrally with one line of one unit per SKU of `skus`; returns its id.
    public func createOrder(skus: [String]) async throws -> String {
        let lines = skus.enumerated().map { #"{"line_no":\#($0.offset + 1),"sku":"\#($0.element)","quantity":1}"# }
        let body = #"{"station_id":"station-1","lines":[\#(lines.joined(separator: ","))]}"#
        let response = try await http.send(
            HTTPRequest(
                method: "POST",
                url: station.hub.base + "/admin/orders",
                headers: [(name: "Content-Type", value: "application/json")],
                body: Array(body.utf8)
            )
        )
        guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let id = object["id"] as? String
        else { throw HubTestError("the hub did not create the order: \(response.status) \(response.text)") }
        return id
    }

    /// Every order of the station shipped, every print job printed, and the outbox empty.
    public func drained(_ store: WaybillStore) throws -> Bool {
        let orders = try stationOrders(store)
        guard !orders.isEmpty, orders.allSatisfy({ $0.state == .shipped }) else { return false }
        let status = try store.status()
        return status.outboxDepth == 0 && (status.printJobs[.printed] ?? 0) > 0
            && status.printJobs.filter { $0.key != .printed }.values.allSatisfy { $0 == 0 }
    }

    /// Every captured print job's title (the label id) with how many times the printers received it.
    public func captureCounts() -> [String: Int] {
        cupsd.capturedFiles().reduce(into: [:]) { $0[$1.name, default: 0] += 1 }
    }

    /// The hub's ledger for station-1.
    public func ledger() async throws -> [LedgerEntry] {
        try await station.hub.ledger().filter { $0.stationID == "station-1" }
    }

    public func stop() {
        station.stop()
        cupsd.stop()
    }
}
