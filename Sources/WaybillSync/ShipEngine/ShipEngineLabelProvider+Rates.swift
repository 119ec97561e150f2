import Foundation
import WaybillCore
import WaybillHTTP

/// Live prices: ShipEngine's own rates for a parcel, asked while a packer waits.
extension ShipEngineLabelProvider {
    /// Prices the parcel with `POST /v1/rates` for the station's carrier and the planner's services
    /// (mapped through `shipping.service_codes`). A packer waits on this: when the account's pace
    /// would hold the request more than ``ratePatience``, it is not sent and the table prices.
    public func prices(of parcel: RateParcel) async throws(SyncError) -> [String: Double]? {
        // ShipEngine's service code of each planner service, sent as configured, compared without case.
        var services: [String: String] = [:]
        var codes: [String] = []
        for service in parcel.services.sorted() where services[settings.serviceCode(for: service).lowercased()] == nil {
            services[settings.serviceCode(for: service).lowercased()] = service
            codes.append(settings.serviceCode(for: service))
        }
        let request = ShipEngineAPI.RateRequest(
            rateOptions: ShipEngineAPI.RateOptions(carrierIDs: [settings.carrierID], serviceCodes: codes),
            shipment: ShipEngineAPI.RateShipment(
                shipTo: Self.address(parcel.shipTo, residential: parcel.residential),
                warehouseID: settings.warehouseID,
                packages: [
                    ShipEngineAPI.Package(
                        weight: ShipEngineAPI.Weight(value: parcel.weightLb),
                        dimensions: parcel.dims.count == 3
                            ? ShipEngineAPI.Dimensions(length: parcel.dims[0], width: parcel.dims[1], height: parcel.dims[2]) : nil
                    )
                ]
            )
        )
        let body: [UInt8]
        do {
            body = Array(try CanonicalJSON.encode(request))
        } catch {
            throw SyncError(.schema, "cannot encode a rate request: \(error)")
        }
        let response = try await send(
            HTTPRequest(
                method: "POST",
                url: settings.baseURL + "/v1/rates",
                headers: [(name: "API-Key", value: settings.apiKey), (name: "Content-Type", value: "application/json")],
                body: body,
                timeout: min(Self.rateTimeout, http.configuration.requestTimeout)
            ),
            patience: Self.ratePatience
        )
        guard (200..<300).contains(response.status) else {
            throw ShipEngineAnswer.error(for: response, doing: "pricing a \(parcel.weightLb) lb box to \(parcel.shipTo.postalCode)")
        }
        let answer = try Self.decode(ShipEngineAPI.RateAnswer.self, response, what: "a rate answer")
        var prices: [String: Double] = [:]
        for rate in answer.rateResponse.rates where rate.carrierID == settings.carrierID {
            guard let service = services[rate.serviceCode.lowercased()], rate.total.isFinite, rate.total >= 0 else { continue }
            prices[service] = min(prices[service] ?? .infinity, rate.total)
        }
        guard prices.isEmpty else { return prices }
        // Nothing the planner can use. The carrier refusing this parcel (an address, a size) is the
        // parcel's problem; anything else (the codes do not match, the carrier failed) the account's.
        let details = answer.rateResponse.errors ?? []
        let errors = details.map { "\($0.message) (\($0.errorSource) \($0.errorType) \($0.errorCode))" }
        if !details.isEmpty, details.allSatisfy({ ["business_rules", "validation"].contains($0.errorType) }) {
            throw SyncError(.refused, "ShipEngine could not price this parcel: \(errors.joined(separator: "; "))")
        }
        let priced = answer.rateResponse.rates.map { "\($0.carrierID) \($0.serviceCode)" }
        throw SyncError(
            .schema,
            "ShipEngine priced none of the planner's services (\(services.keys.sorted().joined(separator: ", "))) for carrier "
                + "\(settings.carrierID): it answered \(answer.rateResponse.status)"
                + (priced.isEmpty ? "" : ", rates for \(priced.joined(separator: ", "))")
                + (errors.isEmpty ? "" : ", errors \(errors.joined(separator: "; "))")
                + "; check shipping.carrier_id and shipping.service_codes"
        )
    }

    public var pricingAccount: String {
        ([name, settings.carrierID, settings.warehouseID] + settings.serviceCodes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            .joined(separator: "|")
    }

    /// The longest a rate request waits for the account's pace before the planner prices from its
    /// table instead: labels, which cannot do without the provider, keep the budget.
    static let ratePatience = 2.0
    /// The longest a packer waits for the provider's prices (its requests' own limit is for labels).
    static let rateTimeout: Duration = .seconds(5)
}
