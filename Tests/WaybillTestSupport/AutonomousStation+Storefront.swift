import Foundation
import WaybillHTTP

extension AutonomousStation {
    /// The API key both emulators accept, and the station sends to both.
    public static let storefrontKey = "TEST_station_key"

    /// A station in storefront mode (`central.kind: storefront`) on real parts: the hub emulates a
    /// Shopify store (station-1's orders are fulfillment orders of location 1) and ShipEngine, with
    /// limits large enough that a run is not minutes of pacing; the station's catalog file is the one
    /// the emulator exports. The agent gets `WAYBILL_CENTRAL_KIND=storefront` from ``environment``.
    public static func startStorefront(orders: Int, faults: String = "") async throws -> AutonomousStation {
        let keys = try TemporaryDirectory()
        let hubKey = keys.file("emulator.key")
        let stationKey = keys.file("station.key")
        for path in [hubKey, stationKey] {
            guard FileManager.default.createFile(atPath: path, contents: Data((storefrontKey + "\n").utf8), attributes: [.posixPermissions: 0o600])
            else { throw HubTestError("could not write \(path)") }
        }
        let catalog = keys.file("catalog.json")
        var station = try await start(
            orders: orders,
            faults: faults,
            hubArguments: [
                "--emulate", "storefront,shipping", "--emulator-key-file", hubKey, "--shipping-requests-per-minute", "6000",
                "--storefront-restore-rate", "1000",
            ]
        ) { base in
            """
            storefront:
              url: \(base)/shopify
              token_file: \(stationKey)
              location_id: 1
              catalog_file: \(catalog)
              sweep_interval: 1s
            shipping:
              url: \(base)/shipengine
              api_key_file: \(stationKey)
              carrier_id: se-1001
              warehouse_id: se-2002
              requests_per_minute: 6000
            """
        }
        let response = try await station.http.send(
            HTTPRequest(url: station.station.hub.base + "/admin/emulators/storefront/catalog?station=station-1")
        )
        guard response.status == 200 else {
            station.stop()
            throw HubTestError("the storefront emulator gave no catalog: \(response.status) \(response.text)")
        }
        try Data(response.body).write(to: URL(fileURLWithPath: catalog))
        station.environment = ["WAYBILL_CENTRAL_KIND": "storefront"]
        station.resources = keys
        return station
    }
}
