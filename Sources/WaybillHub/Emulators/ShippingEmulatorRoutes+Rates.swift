import Foundation
import Hummingbird
import WaybillCore

/// `POST /v1/rates` of the ShipEngine emulator: every service of the rate model that can carry the
/// parcel, priced as the carrier charges now (the admin's price factors), with the documented
/// `rate_response` shape; and the admin route that changes the carrier's prices.
extension HubState {
    func addShippingRateRoutes(to router: Router<HubRequestContext>, emulator: ShippingEmulator) {
        router.post("/shipengine/v1/rates") { request, _ in
            try await self.shipEngine(request, emulator) {
                emulator.count("rates")
                let body: ShipEngineAPI.RateRequest
                do {
                    body = try JSONDecoder().decode(ShipEngineAPI.RateRequest.self, from: Data(try await request.bytes()))
                } catch {
                    return Self.shipEngineError(
                        .badRequest,
                        "validation",
                        "request_body_required",
                        "The request body is not a rate request: \(error)"
                    )
                }
                guard let carrierID = body.rateOptions.carrierIDs.first, carrierID.hasPrefix("se-") else {
                    return Self.shipEngineError(
                        .badRequest,
                        "validation",
                        "field_value_required",
                        "rate_options.carrier_ids needs a carrier of this account"
                    )
                }
                let shipment = body.shipment
                guard shipment.packages.count == 1, let package = shipment.packages.first, package.weight.value > 0, package.weight.unit == "pound"
                else {
                    return Self.shipEngineError(
                        .badRequest,
                        "validation",
                        "invalid_field_value",
                        "exactly one package with a positive weight in pounds is expected"
                    )
                }
                if shipment.shipTo.postalCode.trimmingCharacters(in: .whitespaces) == "00000" {
                    return Self.shipEngineError(
                        .badRequest,
                        "business_rules",
                        "invalid_address",
                        "Invalid ship_to address: postal code 00000 does not exist for \(shipment.shipTo.countryCode)"
                    )
                }
                let dims: [Double] = package.dimensions.map { [$0.length, $0.width, $0.height] } ?? [6, 6, 6]
                let asked = body.rateOptions.serviceCodes.map { Set($0.map { $0.lowercased() }) }
                let quotes = self.rates.quotes(
                    outerDims: dims,
                    grossLb: package.weight.value,
                    zone: Self.emulatedZone(shipment.shipTo),
                    residential: shipment.shipTo.addressResidentialIndicator == "yes"
                )
                let rates = quotes.filter { asked?.contains($0.service.lowercased()) ?? true }.enumerated().map { index, quote in
                    let code = quote.service.lowercased()
                    return ShipEngineAPI.Rate(
                        rateID: "se-r\(index + 1)",
                        carrierID: carrierID,
                        serviceCode: code,
                        shippingAmount: ShipEngineAPI.MonetaryValue(amount: emulator.price(quote.total, serviceCode: code)),
                        insuranceAmount: ShipEngineAPI.MonetaryValue(amount: 0),
                        confirmationAmount: ShipEngineAPI.MonetaryValue(amount: 0),
                        otherAmount: ShipEngineAPI.MonetaryValue(amount: 0),
                        deliveryDays: code.contains("postal") ? 3 : 5,
                        errorMessages: []
                    )
                }
                return try .json(
                    ShipEngineAPI.RateAnswer(shipmentID: "se-s1", rateResponse: ShipEngineAPI.RateList(rates: rates, status: "completed"))
                )
            }
        }
        // The carrier's prices now, as factors of the rate model by service code: `{"sim_ground": 1.5}`.
        router.put("/admin/emulators/shipping/prices") { request, _ in
            let factors = try await request.decode([String: Double].self)
            guard factors.values.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                return try HubReply.json(["error": "price factors must be positive numbers"], status: .badRequest).response
            }
            emulator.setPriceFactors(factors)
            return try HubReply.json(factors).response
        }
    }

    /// The zone the emulated carrier prices a parcel to: from the first digit of its postal code.
    static func emulatedZone(_ shipTo: ShipEngineAPI.Address) -> Int {
        2 + (Int(String(shipTo.postalCode.prefix(1))) ?? 3) % 7
    }
}
