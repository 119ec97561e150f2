public import Logging
public import WaybillCore
public import WaybillHTTP
public import WaybillStore
public import WaybillSync

extension ShipEngineLabelProvider {
    /// A provider on the ShipEngine emulator of `hub` (carrier `se-1001`, warehouse `se-2002`).
    public static func emulated(
        base: String,
        apiKey: String,
        store: WaybillStore,
        logger: Logger,
        requestsPerMinute: Int = 200,
        labelFormat: LabelFormat = .zpl,
        http: CurlHTTPClient = CurlHTTPClient(configuration: .init(connectTimeout: .milliseconds(500), requestTimeout: .seconds(2)))
    ) -> ShipEngineLabelProvider {
        ShipEngineLabelProvider(
            settings: ShipEngineSettings(
                baseURL: base + "/shipengine",
                apiKey: apiKey,
                carrierID: "se-1001",
                warehouseID: "se-2002",
                requestsPerMinute: requestsPerMinute,
                labelFormat: labelFormat
            ),
            http: http,
            store: store,
            logger: logger
        )
    }
}
