import Foundation
public import WaybillCore

/// How a station reaches its ShipEngine account (`shipping.*` in the configuration).
public struct ShipEngineSettings: Sendable, Hashable {
    /// The API's base URL without `/v1` (`https://api.shipengine.com`).
    public var baseURL: String
    /// The account's API key (read from a 0600 file; never logged).
    public var apiKey: String
    /// The carrier account labels are bought from (`se-…`).
    public var carrierID: String
    /// The account's warehouse the boxes ship from.
    public var warehouseID: String
    /// The ShipEngine `service_code` of each planner service (`SIM_GROUND` → `ups_ground`); a
    /// service not listed is sent lower-cased.
    public var serviceCodes: [String: String]
    /// The account's request limit per minute (ShipEngine's default is 200).
    public var requestsPerMinute: Int
    /// The document bought with each label: ZPL for a thermal printer, PDF for a document printer.
    public var labelFormat: LabelFormat

    public init(
        baseURL: String,
        apiKey: String,
        carrierID: String,
        warehouseID: String,
        serviceCodes: [String: String] = [:],
        requestsPerMinute: Int = 200,
        labelFormat: LabelFormat = .zpl
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.carrierID = carrierID
        self.warehouseID = warehouseID
        self.serviceCodes = serviceCodes
        self.requestsPerMinute = requestsPerMinute
        self.labelFormat = labelFormat
    }

    /// The `service_code` to buy a box of planner service `service` with.
    public func serviceCode(for service: String) -> String {
        serviceCodes[service] ?? service.lowercased()
    }

    /// Parses `SIM_GROUND=ups_ground,SIM_POSTAL=usps_priority_mail`; nil when malformed.
    public static func serviceCodes(parsing text: String) -> [String: String]? {
        var codes: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, codes[parts[0]] == nil else { return nil }
            codes[parts[0]] = parts[1]
        }
        return codes
    }
}
