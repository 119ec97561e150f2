import Foundation
import HTTPTypes
import Hummingbird
import WaybillCore
import WaybillHubStore

/// The ShipEngine (ShipStation API) v1 label surface, emulated under `/shipengine` from its public
/// reference: `POST /v1/labels` with the shipment inline, `GET /v1/labels/external_shipment_id/{id}`,
/// `PUT /v1/labels/{label_id}/void` and the label documents, with the `API-Key` header, the
/// `errors[]` body, 429 with Retry-After past the account's requests a minute, and no idempotency
/// key: the same `external_shipment_id` bought twice is two labels (and the ledger shows it).
extension HubState {
    static let apiKeyHeader = HTTPField.Name("API-Key")!

    func addShippingEmulatorRoutes(to router: Router<HubRequestContext>, emulator: ShippingEmulator) {
        let prefix = "/shipengine/v1"
        router.post("\(prefix)/labels") { request, _ in
            try await self.shipEngine(request, emulator) {
                let bytes = try await request.bytes()
                let body: ShipEngineAPI.LabelRequest
                do {
                    body = try JSONDecoder().decode(ShipEngineAPI.LabelRequest.self, from: Data(bytes))
                } catch {
                    return Self.shipEngineError(
                        .badRequest,
                        "validation",
                        "request_body_required",
                        "The request body is not a label request: \(error)"
                    )
                }
                if let refusal = Self.refusal(of: body) { return refusal }
                let shipment = body.shipment
                let package = shipment.packages[0]
                let dims: [Double] = package.dimensions.map { [$0.length, $0.width, $0.height] } ?? [6, 6, 6]
                let zone = Self.emulatedZone(shipment.shipTo)
                let residential = shipment.shipTo.addressResidentialIndicator == "yes"
                guard
                    let quote = self.rates.quotes(outerDims: dims, grossLb: package.weight.value, zone: zone, residential: residential)
                        .first(where: { $0.service == shipment.serviceCode.uppercased() })
                else {
                    return Self.shipEngineError(
                        .badRequest,
                        "business_rules",
                        "invalid_field_value",
                        "Service \(shipment.serviceCode) cannot carry a \(package.weight.value) lb package of \(dims) in"
                    )
                }
                let canonical = String(decoding: try CanonicalJSON.encode(body), as: UTF8.self)
                let label = try self.store.sellEmulatedLabel(now: self.clock.now) { seq in
                    let tracking = "9400" + String(format: "%018d", 111_000_000 + seq)
                    return EmulatedLabel(
                        labelID: "se-\(700_000 + seq)",
                        externalShipmentID: shipment.externalShipmentID.map { String($0.prefix(50)) },
                        carrierID: shipment.carrierID ?? "se-emulated",
                        serviceCode: shipment.serviceCode,
                        trackingNumber: tracking,
                        cost: emulator.price(quote.total, serviceCode: shipment.serviceCode),
                        zpl: Self.emulatedZPL(shipTo: shipment.shipTo, service: shipment.serviceCode, tracking: tracking),
                        request: canonical,
                        voided: false,
                        used: false,
                        createdAt: self.clock.now
                    )
                }
                return try .json(Self.answer(label, host: request.head.authority))
            }
        }
        router.get("\(prefix)/labels/external_shipment_id/:id") { request, context in
            try await self.shipEngine(request, emulator) {
                let id = try context.parameters.require("id")
                guard let label = try self.store.emulatedLabel(externalShipmentID: id) else {
                    return Self.shipEngineError(.notFound, "validation", "invalid_identifier", "No label was found with external_shipment_id \(id)")
                }
                return try .json(Self.answer(label, host: request.head.authority))
            }
        }
        router.put("\(prefix)/labels/:id/void") { request, context in
            try await self.shipEngine(request, emulator) {
                let id = try context.parameters.require("id")
                guard let label = try self.store.emulatedLabel(id: id) else {
                    return Self.shipEngineError(.notFound, "validation", "invalid_identifier", "No label was found with label_id \(id)")
                }
                if label.used {
                    return try .json(ShipEngineAPI.VoidResult(approved: false, message: "The carrier has scanned this label; it cannot be voided."))
                }
                if label.voided {
                    return try .json(ShipEngineAPI.VoidResult(approved: false, message: "This label has already been voided."))
                }
                try self.store.markEmulatedLabel(id, voided: true)
                return try .json(ShipEngineAPI.VoidResult(approved: true, message: "Request for refund submitted.  This label has been voided."))
            }
        }
        // Label documents: the address in `label_download`; no API key needed, as on the real API's download host.
        router.get("\(prefix)/downloads/:file") { request, context in
            try await self.faulted(.shipping) { _ in
                let file = try context.parameters.require("file")
                let format = String(file.suffix(3))
                guard [".zpl", ".pdf"].contains(file.suffix(4)), let label = try self.store.emulatedLabel(id: String(file.dropLast(4))) else {
                    return Self.shipEngineError(.notFound, "validation", "invalid_identifier", "No such label document: \(file)")
                }
                emulator.count("downloads")
                if format == "pdf" { return HubReply(status: .ok, headers: [.contentType: "application/pdf"], body: Self.emulatedPDF(label)) }
                return HubReply(status: .ok, headers: [.contentType: "text/plain"], body: Array(label.zpl.utf8))
            }
        }
        addShippingRateRoutes(to: router, emulator: emulator)
        router.get("/admin/emulators/shipping") { _, _ in
            try HubReply.json(EmulatedShippingView(labels: try self.store.emulatedLabels(), requests: emulator.requestCounts)).response
        }
        // The carrier scanned a parcel: its label can no longer be voided.
        router.post("/admin/emulators/shipping/labels/:id/use") { _, context in
            let found = try self.store.markEmulatedLabel(try context.parameters.require("id"), used: true)
            return try HubReply.json(["used": found], status: found ? .ok : .notFound).response
        }
    }

    /// Runs a ShipEngine route: faults, the API key, then the account's rate limit.
    func shipEngine(_ request: Request, _ emulator: ShippingEmulator, _ handler: () async throws -> HubReply) async throws -> Response {
        try await faulted(.shipping) { _ in
            guard request.headers[Self.apiKeyHeader] == emulator.settings.apiKey else {
                emulator.count("unauthorized")
                return Self.shipEngineError(.unauthorized, "security", "unauthorized", "The API key is invalid. Please use a valid API key.")
            }
            if let retryAfter = emulator.admit(now: self.clock.now) {
                var reply = Self.shipEngineError(
                    .tooManyRequests,
                    "system",
                    "rate_limit_exceeded",
                    "You have exceeded the rate limit. Please see https://www.shipengine.com/docs/rate-limits"
                )
                reply.headers[.retryAfter] = "\(retryAfter)"
                return reply
            }
            do {
                return try await handler()
            } catch let error as ReplyError {
                return error.reply
            }
        }
    }

    /// A documented-shape error body.
    static func shipEngineError(_ status: HTTPResponse.Status, _ type: String, _ code: String, _ message: String) -> HubReply {
        let body = ShipEngineAPI.ErrorBody(
            requestID: UUID().uuidString.lowercased(),
            errors: [ShipEngineAPI.ErrorDetail(errorSource: "shipengine", errorType: type, errorCode: code, message: message)]
        )
        return (try? HubReply.json(body, status: status)) ?? HubReply(status: status, body: Array(message.utf8))
    }

    /// Why a label request is refused as it is, as ShipEngine words it; nil when it can be sold.
    static func refusal(of body: ShipEngineAPI.LabelRequest) -> HubReply? {
        let shipment = body.shipment
        func invalid(_ message: String, type: String = "validation", code: String = "invalid_field_value") -> HubReply {
            shipEngineError(.badRequest, type, code, message)
        }
        // Without carrier_id, the account's default carrier (as the reference's own example does).
        if let carrier = shipment.carrierID, !carrier.hasPrefix("se-") {
            return invalid("carrier_id \(carrier) is not a carrier of this account")
        }
        guard shipment.warehouseID != nil || shipment.shipFrom != nil else {
            return invalid("Either warehouse_id or ship_from must be specified", code: "field_value_required")
        }
        guard ["zpl", "pdf", "png"].contains(body.labelFormat), ["4x6", "letter"].contains(body.labelLayout) else {
            return invalid("label_format must be zpl, pdf or png and label_layout 4x6 or letter")
        }
        guard shipment.packages.count == 1, let package = shipment.packages.first, package.weight.value > 0, package.weight.unit == "pound"
        else { return invalid("exactly one package with a positive weight in pounds is expected") }
        let to = shipment.shipTo
        guard !to.name.isEmpty, !to.addressLine1.isEmpty, !to.cityLocality.isEmpty, to.countryCode.count == 2 else {
            return invalid("ship_to needs a name, address_line1, city_locality and a two-letter country_code", code: "field_value_required")
        }
        // The emulator's one undeliverable address: postal code 00000 (what a carrier's address check refuses).
        guard to.postalCode.trimmingCharacters(in: .whitespaces) != "00000", !to.postalCode.isEmpty else {
            return shipEngineError(
                .badRequest,
                "business_rules",
                "invalid_address",
                "Invalid ship_to address: postal code \(to.postalCode) does not exist for \(to.countryCode)"
            )
        }
        return nil
    }

    /// A label answer with the documented fields.
    static func answer(_ label: EmulatedLabel, host: String?) -> EmulatedLabelAnswer {
        let format = format(of: label)
        // As documented: every format's link, and `href` the one bought.
        let base = "http://\(host ?? "127.0.0.1")/shipengine/v1/downloads/\(label.labelID)"
        let download = "\(base).\(format)"
        return EmulatedLabelAnswer(
            labelID: label.labelID,
            status: label.voided ? "voided" : "completed",
            shipmentID: "se-\(label.labelID.dropFirst(3))0",
            externalShipmentID: label.externalShipmentID,
            shipDate: ISO8601DateFormatter().string(from: label.createdAt),
            createdAt: ISO8601DateFormatter().string(from: label.createdAt),
            shipmentCost: ShipEngineAPI.MonetaryValue(amount: label.cost),
            insuranceCost: ShipEngineAPI.MonetaryValue(amount: 0),
            trackingNumber: label.trackingNumber,
            isReturnLabel: false,
            isInternational: false,
            batchID: "",
            carrierID: label.carrierID,
            serviceCode: label.serviceCode,
            packageCode: "package",
            voided: label.voided,
            labelFormat: format,
            labelLayout: "4x6",
            trackable: true,
            carrierCode: "simcarrier",
            trackingStatus: label.used ? "in_transit" : "unknown",
            labelDownload: ShipEngineAPI.LabelDownload(href: download, pdf: base + ".pdf", zpl: base + ".zpl")
        )
    }

    /// The document format the label was bought in (`zpl`, or `pdf`; a `png` request is served as ZPL).
    static func format(of label: EmulatedLabel) -> String {
        (try? JSONDecoder().decode(ShipEngineAPI.LabelRequest.self, from: Data(label.request.utf8)))?.labelFormat == "pdf" ? "pdf" : "zpl"
    }

    /// A 4x6 PDF carrier label drawn from the label's request (customer text as text objects, escaped).
    static func emulatedPDF(_ label: EmulatedLabel) -> [UInt8] {
        guard let request = try? JSONDecoder().decode(ShipEngineAPI.LabelRequest.self, from: Data(label.request.utf8)),
            let id = BarcodeID(rawValue: label.labelID.uppercased()), let tracking = BarcodeID(rawValue: label.trackingNumber)
        else { return [] }
        let to = request.shipment.shipTo
        let address = LabelAddress(
            name: to.name,
            lines: [to.companyName, to.addressLine1, to.addressLine2].compactMap { $0 }.filter { !$0.isEmpty },
            city: to.cityLocality,
            region: to.stateProvince,
            postalCode: to.postalCode,
            country: to.countryCode
        )
        let from = LabelAddress(name: "SIMCARRIER", lines: ["Emulated warehouse"], city: "Oakland", region: "CA", postalCode: "94601", country: "US")
        let weight = request.shipment.packages.first?.weight.value ?? 0
        return PDFLabelRenderer.render(
            ShippingLabel(
                id: id,
                shipFrom: from,
                shipTo: address,
                service: label.serviceCode.uppercased(),
                weightGrams: Int(weight * 453.592),
                boxNumber: 1,
                boxCount: 1,
                orderReference: request.shipment.externalShipmentID ?? "",
                tracking: tracking,
                boxID: id
            )
        )
    }

    /// A 4x6 carrier label; customer text escaped (`^FH`), the barcode carries the tracking number only.
    static func emulatedZPL(shipTo: ShipEngineAPI.Address, service: String, tracking: String) -> String {
        func field(_ y: Int, _ size: Int, _ text: String) -> String {
            "^FO30,\(y)^A0N,\(size),\(size)^FB760,1,0,L^FH_^FD\(ZPLFieldText.escape(text))^FS\n"
        }
        return "^XA\n^CI28\n^PW812\n^LL1218\n" + field(30, 40, "SIMCARRIER \(service.uppercased())") + field(100, 30, "SHIP TO:")
            + field(140, 40, shipTo.name) + field(190, 30, shipTo.companyName ?? "") + field(230, 30, shipTo.addressLine1)
            + field(270, 30, shipTo.addressLine2 ?? "") + field(310, 30, "\(shipTo.cityLocality), \(shipTo.stateProvince) \(shipTo.postalCode)")
            + "^FO60,480^BY3^BCN,200,Y,N,N^FD\(tracking)^FS\n^XZ\n"
    }
}

/// `GET /admin/emulators/shipping`: every label sold and the requests seen.
struct EmulatedShippingView: Codable {
    let labels: [EmulatedLabel]
    let requests: [String: Int]
}

/// The emulator's label answer: fields of the reference's example (its nulls left out).
struct EmulatedLabelAnswer: Codable {
    var labelID: String
    var status: String
    var shipmentID: String
    var externalShipmentID: String?
    var shipDate: String
    var createdAt: String
    var shipmentCost: ShipEngineAPI.MonetaryValue
    var insuranceCost: ShipEngineAPI.MonetaryValue
    var trackingNumber: String
    var isReturnLabel: Bool
    var isInternational: Bool
    var batchID: String
    var carrierID: String
    var serviceCode: String
    var packageCode: String
    var voided: Bool
    var labelFormat: String
    var labelLayout: String
    var trackable: Bool
    var carrierCode: String
    var trackingStatus: String
    var labelDownload: ShipEngineAPI.LabelDownload

    enum CodingKeys: String, CodingKey {
        case labelID = "label_id"
        case status
        case shipmentID = "shipment_id"
        case externalShipmentID = "external_shipment_id"
        case shipDate = "ship_date"
        case createdAt = "created_at"
        case shipmentCost = "shipment_cost"
        case insuranceCost = "insurance_cost"
        case trackingNumber = "tracking_number"
        case isReturnLabel = "is_return_label"
        case isInternational = "is_international"
        case batchID = "batch_id"
        case carrierID = "carrier_id"
        case serviceCode = "service_code"
        case packageCode = "package_code"
        case voided
        case labelFormat = "label_format"
        case labelLayout = "label_layout"
        case trackable
        case carrierCode = "carrier_code"
        case trackingStatus = "tracking_status"
        case labelDownload = "label_download"
    }
}
