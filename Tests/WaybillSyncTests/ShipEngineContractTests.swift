import Foundation
import Testing
import WaybillCore
import WaybillHTTP
import WaybillHub
import WaybillTestSupport

/// The ShipEngine types and the hub's emulator against the reference's own examples (kept in
/// `Fixtures/shipengine`, with their sources in its README): a drift between the documentation, the
/// station's types and the emulator shows up here.
@Suite(.timeLimit(.minutes(2))) struct ShipEngineContractTests {
    static func example(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/shipengine/\(name)")
        return try Data(contentsOf: url)
    }

    static func keys(_ data: Data) throws -> Set<String> {
        Set(try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys)
    }

    @Test func theDocumentedExamples_decodeThroughTheStationsTypes() throws {
        let label = try JSONDecoder().decode(ShipEngineAPI.Label.self, from: Self.example("label-response.json"))
        #expect(label.labelID == "se-392157963")
        #expect(label.status == "completed")
        #expect(label.trackingNumber == "1Z999AA10123456784")
        #expect(label.shipmentCost.amount == 175.04)
        #expect(label.labelDownload.zpl?.hasSuffix(".zpl") == true)
        #expect(!label.voided)

        let error = try JSONDecoder().decode(ShipEngineAPI.ErrorBody.self, from: Self.example("error-response.json"))
        #expect(error.errors.first?.errorType == "business_rules")
        #expect(error.errors.first?.message == "carrier_id se-12345 not found")

        #expect(try JSONDecoder().decode(ShipEngineAPI.VoidResult.self, from: Self.example("void-label-response.json")).approved)
        let refused = try JSONDecoder().decode(ShipEngineAPI.VoidResult.self, from: Self.example("void-label-response-not-approved.json"))
        #expect(!refused.approved && refused.reasonCode == "label_not_found_within_void_period")

        // The request: the documented shipment's address and package read as ours.
        struct DocumentedRequest: Decodable {
            struct Shipment: Decodable {
                let shipTo: ShipEngineAPI.Address
                let packages: [ShipEngineAPI.Package]
                enum CodingKeys: String, CodingKey {
                    case shipTo = "ship_to"
                    case packages
                }
            }
            let shipment: Shipment
            let labelLayout: String
            enum CodingKeys: String, CodingKey {
                case shipment
                case labelLayout = "label_layout"
            }
        }
        let request = try JSONDecoder().decode(DocumentedRequest.self, from: Self.example("create-label-request.json"))
        #expect(request.shipment.shipTo.cityLocality == "San Jose")
        #expect(request.shipment.packages.first?.dimensions?.length == 36)
        #expect(request.labelLayout == "4x6")
    }

    /// Every field the station sends is a documented field of the request.
    @Test func whatTheStationSends_usesOnlyDocumentedFields() throws {
        let documented = try #require(try JSONSerialization.jsonObject(with: Self.example("create-label-request.json")) as? [String: Any])
        let documentedShipment = try #require(documented["shipment"] as? [String: Any])
        let documentedAddress = Set(try #require(documentedShipment["ship_from"] as? [String: Any]).keys)
        let ours = ShipEngineAPI.LabelRequest(
            shipment: ShipEngineAPI.Shipment(
                carrierID: "se-1",
                serviceCode: "sim_ground",
                externalShipmentID: "k.box1",
                shipTo: ShipEngineAPI.Address(
                    name: "A",
                    phone: "1",
                    companyName: "B",
                    addressLine1: "C",
                    addressLine2: "D",
                    cityLocality: "E",
                    stateProvince: "F",
                    postalCode: "G",
                    countryCode: "US",
                    addressResidentialIndicator: "no"
                ),
                warehouseID: "se-2",
                packages: [ShipEngineAPI.Package(weight: .init(value: 1), dimensions: .init(length: 1, width: 1, height: 1))]
            )
        )
        // Encoded as the connector sends it.
        let encoded = try #require(try JSONSerialization.jsonObject(with: CanonicalJSON.encode(ours)) as? [String: Any])
        #expect(Set(encoded.keys).isSubset(of: Set(documented.keys)), "\(encoded.keys)")
        let shipment = try #require(encoded["shipment"] as? [String: Any])
        // carrier_id, warehouse_id and external_shipment_id are documented shipment fields the example leaves out.
        #expect(Set(shipment.keys).subtracting(documentedShipment.keys) == ["carrier_id", "warehouse_id", "external_shipment_id"])
        let address = try #require(shipment["ship_to"] as? [String: Any])
        // The example's address leaves out address_line2 and the residential indicator.
        #expect(Set(address.keys).subtracting(documentedAddress) == ["address_line2", "address_residential_indicator"])
    }

    /// The emulator answers with the documented fields only, in the documented shapes.
    @Test func theEmulatorsAnswers_haveTheDocumentedShapes() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 2, shipping: ShippingEmulation(apiKey: "k"))
        let client = CurlHTTPClient()
        func send(_ method: String, _ path: String, key: String = "k", body: Data = Data()) async throws -> HTTPResponse {
            try await client.send(
                HTTPRequest(
                    method: method,
                    url: hub.base + "/shipengine" + path,
                    headers: [(name: "API-Key", value: key), (name: "Content-Type", value: "application/json")],
                    body: Array(body)
                )
            )
        }
        var request = try JSONDecoder().decode(
            ShipEngineAPI.LabelRequest.self,
            from: try JSONSerialization.data(
                withJSONObject: {
                    var object = try #require(try JSONSerialization.jsonObject(with: Self.example("create-label-request.json")) as? [String: Any])
                    var shipment = try #require(object["shipment"] as? [String: Any])
                    shipment["carrier_id"] = "se-1"
                    object["shipment"] = shipment
                    return object
                }()
            )
        )
        request.shipment.serviceCode = "sim_ground"
        request.shipment.externalShipmentID = "order-1.box1"
        request.labelFormat = "zpl"
        let bought = try await send("POST", "/v1/labels", body: try JSONEncoder().encode(request))
        #expect(bought.status == 200, "\(bought.text)")
        let documentedLabel = try Self.keys(Self.example("label-response.json"))
        #expect(try Self.keys(Data(bought.body)).isSubset(of: documentedLabel), "undocumented fields in the emulator's label")
        let label = try JSONDecoder().decode(ShipEngineAPI.Label.self, from: Data(bought.body))

        let found = try await send("GET", "/v1/labels/external_shipment_id/order-1.box1")
        #expect(try JSONDecoder().decode(ShipEngineAPI.Label.self, from: Data(found.body)).labelID == label.labelID)

        let void = try await send("PUT", "/v1/labels/\(label.labelID)/void")
        #expect(try Self.keys(Data(void.body)).isSubset(of: try Self.keys(Self.example("void-label-response-not-approved.json"))))
        #expect(try JSONDecoder().decode(ShipEngineAPI.VoidResult.self, from: Data(void.body)).approved)

        let documentedError = try #require(
            try JSONSerialization.jsonObject(with: Self.example("error-response.json")) as? [String: Any]
        )
        let documentedDetail = Set(try #require((documentedError["errors"] as? [[String: Any]])?.first).keys)
        for refused in [try await send("GET", "/v1/labels/external_shipment_id/none"), try await send("POST", "/v1/labels", key: "wrong")] {
            let body = try #require(try JSONSerialization.jsonObject(with: Data(refused.body)) as? [String: Any])
            #expect(Set(body.keys) == Set(documentedError.keys))
            let detail = Set(try #require((body["errors"] as? [[String: Any]])?.first).keys)
            #expect(detail.isSubset(of: documentedDetail) && detail.contains("error_code"))
        }
        await hub.stop()
    }

    /// `POST /v1/rates`: the documented request and answer read through the station's types, the
    /// station sends only documented fields, and the emulator answers in the documented shape.
    @Test func rates_matchTheDocumentedExamples() async throws {
        let documented = try JSONDecoder().decode(ShipEngineAPI.RateRequest.self, from: Self.example("rates-request.json"))
        #expect(documented.rateOptions.carrierIDs == ["se-123890"])
        #expect(documented.shipment.shipTo.cityLocality == "San Jose")
        let answer = try JSONDecoder().decode(ShipEngineAPI.RateAnswer.self, from: Self.example("rates-response.json"))
        let rate = try #require(answer.rateResponse.rates.first)
        #expect(rate.serviceCode == "ups_ground" && rate.carrierID == "se-121862")
        #expect(rate.total == 65.58, "shipping + insurance + confirmation + other")
        #expect(answer.rateResponse.status == "completed")

        // What the station sends: documented fields only (service_codes is a documented rate option).
        let ours = ShipEngineAPI.RateRequest(
            rateOptions: ShipEngineAPI.RateOptions(carrierIDs: ["se-1"], serviceCodes: ["sim_ground"]),
            shipment: ShipEngineAPI.RateShipment(shipTo: documented.shipment.shipTo, warehouseID: "se-2", packages: documented.shipment.packages)
        )
        let encoded = try #require(try JSONSerialization.jsonObject(with: CanonicalJSON.encode(ours)) as? [String: Any])
        let example = try #require(try JSONSerialization.jsonObject(with: Self.example("rates-request.json")) as? [String: Any])
        #expect(Set(encoded.keys) == Set(example.keys))
        let shipment = try #require(encoded["shipment"] as? [String: Any])
        let exampleShipment = try #require(example["shipment"] as? [String: Any])
        // warehouse_id is the documented alternative to ship_from.
        #expect(Set(shipment.keys).subtracting(exampleShipment.keys) == ["warehouse_id"])
        #expect(Set(try #require(encoded["rate_options"] as? [String: Any]).keys) == ["carrier_ids", "service_codes"])

        // The emulator's answer: the documented fields of the answer, its rate_response and its rates.
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 2, shipping: ShippingEmulation(apiKey: "k"))
        let response = try await CurlHTTPClient().send(
            HTTPRequest(
                method: "POST",
                url: hub.base + "/shipengine/v1/rates",
                headers: [(name: "API-Key", value: "k"), (name: "Content-Type", value: "application/json")],
                body: Array(try Self.example("rates-request.json"))
            )
        )
        #expect(response.status == 200, "\(response.text)")
        let documentedAnswer = try #require(try JSONSerialization.jsonObject(with: Self.example("rates-response.json")) as? [String: Any])
        let emulated = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(Set(emulated.keys).isSubset(of: Set(documentedAnswer.keys)), "\(emulated.keys)")
        let documentedList = try #require(documentedAnswer["rate_response"] as? [String: Any])
        let emulatedList = try #require(emulated["rate_response"] as? [String: Any])
        #expect(Set(emulatedList.keys).isSubset(of: Set(documentedList.keys)), "\(emulatedList.keys)")
        let documentedRate = Set(try #require((documentedList["rates"] as? [[String: Any]])?.first).keys)
        let emulatedRates = try #require(emulatedList["rates"] as? [[String: Any]])
        #expect(!emulatedRates.isEmpty)
        for rate in emulatedRates { #expect(Set(rate.keys).isSubset(of: documentedRate), "\(rate.keys)") }
        let decoded = try JSONDecoder().decode(ShipEngineAPI.RateAnswer.self, from: Data(response.body))
        #expect(decoded.rateResponse.rates.allSatisfy { $0.carrierID == "se-123890" && $0.total > 0 })
        await hub.stop()
    }
}
