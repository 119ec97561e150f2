public import WaybillCore
import WaybillSync

/// The shipping provider a station buys its carrier labels from (`shipping.*`): ShipEngine's
/// label API, or an emulator of it (`waybill-hub serve --emulate shipping`).
public struct ShippingSettings: Sendable, Hashable {
    /// `shipping.url`: the API's base URL (`https://api.shipengine.com`).
    public var url: String
    /// `shipping.api_key_file`: the file holding the API key (mode 0600).
    public var apiKeyFile: String
    /// `shipping.carrier_id`: the carrier account labels are bought from.
    public var carrierID: String
    /// `shipping.warehouse_id`: the account's warehouse the boxes ship from.
    public var warehouseID: String
    /// `shipping.service_codes`: the provider's service code of each planner service.
    public var serviceCodes: [String: String]
    /// `shipping.requests_per_minute`: the account's request limit; the station paces itself to it.
    public var requestsPerMinute: Int
    /// `shipping.label_format`: `zpl` for a thermal label printer, `pdf` for the document printer.
    public var labelFormat: LabelFormat
    /// `shipping.live_rates`: whether planned boxes are priced with the provider's live rates.
    public var liveRates: Bool

    /// The connector's settings, the key read from its file.
    /// - Throws: ``ConfigurationError`` when the key file is missing, empty or readable by others.
    func connector() throws(ConfigurationError) -> ShipEngineSettings {
        ShipEngineSettings(
            baseURL: url,
            apiKey: try SecretFile.read(path: apiKeyFile, key: ConfigurationKey.shippingAPIKeyFile.name),
            carrierID: carrierID,
            warehouseID: warehouseID,
            serviceCodes: serviceCodes,
            requestsPerMinute: requestsPerMinute,
            labelFormat: labelFormat
        )
    }
}
