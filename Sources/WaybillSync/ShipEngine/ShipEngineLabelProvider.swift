import Crypto
public import Foundation
public import Logging
import Synchronization
public import WaybillCore
public import WaybillHTTP
public import WaybillStore

/// Carrier labels bought from ShipEngine (the ShipStation API) v1: `POST /v1/labels` with the
/// shipment inline, the ZPL document downloaded from `label_download.href`, voids through
/// `PUT /v1/labels/{label_id}/void`.
///
/// ShipEngine takes no idempotency key, so each box is bought under `external_shipment_id` = its
/// purchase key, and every attempt is recorded in the store before its request goes out: when an
/// earlier attempt's answer never arrived (a timeout, a lost connection, a crash), the label is
/// looked up by `external_shipment_id` before anything is bought again, and a look-up that finds
/// none buys only ``LabelPurchaser/settleGrace`` after that request ended (or its deadline, when the
/// process died during it): until then ShipEngine may still be selling it. Requests are paced to the
/// account's limit (200 a minute) so the API need not refuse them; a 429 waits for its Retry-After.
public final class ShipEngineLabelProvider: LabelProvider {
    let settings: ShipEngineSettings
    let http: CurlHTTPClient
    let store: WaybillStore
    let logger: Logger
    private let bucket: Mutex<LeakyBucket>
    private let clock = ContinuousClock()
    private let origin = ContinuousClock.now

    /// The largest label document accepted (a 4x6 ZPL or PDF label with graphics is well under it).
    static let maxDocumentBytes = 2 << 20

    public init(settings: ShipEngineSettings, http: CurlHTTPClient, store: WaybillStore, logger: Logger) {
        self.settings = settings
        self.http = http
        self.store = store
        self.logger = logger
        // A twentieth of the minute's requests may go at once, the rest spread over the minute: in
        // any 60 seconds at most the account's limit goes out, at 95 % of its pace.
        let limit = Double(max(1, settings.requestsPerMinute))
        let burst = max(1, (limit / 20).rounded(.down))
        self.bucket = Mutex(LeakyBucket(capacity: burst, restoreRate: max(limit - burst, 1) / 60))
    }

    public var name: String { "shipengine" }
    public var voidsDirectly: Bool { true }
    public var isCentralAPI: Bool { false }

    public func buy(_ due: LabelPurchaseDue, now roundStart: Date) async throws(SyncError) -> LabelPurchaseOutcome {
        let purchase = due.purchase
        // The round's time, or later: the boxes before this one (paced to the account's limit) took a while.
        let now = max(roundStart, Date())
        guard let shipTo = due.shipTo else {
            return .refused("order \(purchase.orderID) holds no ship-to address for the shipping provider; run `waybill resync`")
        }
        let earlier: LabelAttemptState?
        do {
            earlier = try store.labelAttempt(key: due.idempotencyKey)
        } catch {
            throw SyncError(.schema, "cannot read the label purchase attempts: \(error)")
        }
        let externalID = Self.externalShipmentID(for: due.idempotencyKey)
        if let earlier, earlier.attempts > 0 {
            if let existing = try await lookUp(externalShipmentID: externalID) {
                // The earliest label under the key is the one the lookup answers: a voided one would be
                // answered again after every later purchase, so buying anew could repeat without end.
                guard !existing.voided, existing.status != "voided" else {
                    return .refused(
                        "label \(existing.labelID) bought under this box's key (\(externalID)) was voided at ShipEngine; "
                            + "a person must decide (void the box's label locally to buy a new one)"
                    )
                }
                logger.notice(
                    "Found the label an earlier attempt bought; not buying again",
                    metadata: ["order.id": "\(purchase.orderID)", "label.box": "\(purchase.boxNo)", "label.id": "\(existing.labelID)"]
                )
                return try await outcome(of: existing, for: due)
            }
            // An unanswered request may still be selling the label (a server does not stop when its
            // client goes away): only a while after it does "none under the key" mean none was sold.
            // (A time more than one request timeout ahead is a clock set back: it counts as one timeout from now.)
            if let since = earlier.unansweredSince.map({ min($0, now.addingTimeInterval(http.configuration.requestTimeout.seconds)) }),
                now.timeIntervalSince(since) < LabelPurchaser.settleGrace
            {
                return .retryLater(
                    "ShipEngine knows no label under \(externalID) yet, but a request for it is unanswered since "
                        + "\(since.formatted(.iso8601)) and may still sell one; it is looked up again, and bought only if none "
                        + "has appeared \(Int(LabelPurchaser.settleGrace)) s after that",
                    askAgainBy: since.addingTimeInterval(LabelPurchaser.settleGrace)
                )
            }
        }
        // Until its end is recorded, the request is in doubt from its deadline on (a process killed
        // during it never records the end). Pacing may hold it a few seconds more: within the grace.
        let sentAt = max(now, Date())
        do {
            try store.beginLabelAttempt(
                key: due.idempotencyKey,
                provider: name,
                orderID: purchase.orderID,
                boxNo: purchase.boxNo,
                deadline: sentAt.addingTimeInterval(http.configuration.requestTimeout.seconds),
                now: sentAt
            )
        } catch {
            throw SyncError(.schema, "cannot record a label purchase attempt: \(error)")
        }
        let request = ShipEngineAPI.LabelRequest(
            shipment: ShipEngineAPI.Shipment(
                carrierID: settings.carrierID,
                serviceCode: settings.serviceCode(for: purchase.serviceLevel),
                externalShipmentID: externalID,
                shipTo: Self.address(shipTo, residential: due.residential),
                warehouseID: settings.warehouseID,
                packages: [
                    ShipEngineAPI.Package(
                        weight: ShipEngineAPI.Weight(value: purchase.weightLb),
                        dimensions: purchase.dims.count == 3
                            ? ShipEngineAPI.Dimensions(length: purchase.dims[0], width: purchase.dims[1], height: purchase.dims[2]) : nil
                    )
                ]
            ),
            labelFormat: settings.labelFormat.rawValue
        )
        let body: [UInt8]
        do {
            body = Array(try CanonicalJSON.encode(request))
        } catch {
            throw SyncError(.schema, "cannot encode a label purchase: \(error)")
        }
        // No idempotency key: never on a reused connection libcurl might silently send it on again.
        let response: HTTPResponse
        do {
            response = try await send("POST", "/v1/labels", body: body, freshConnection: true)
        } catch {
            attemptEnded(key: due.idempotencyKey, answered: false, now: now)
            throw error
        }
        // Only a refusal says nothing was sold. A 5xx may come after the label was sold (a gateway
        // giving up on the API), and a label sold stays in doubt until it is stored.
        attemptEnded(key: due.idempotencyKey, answered: (300..<500).contains(response.status), now: now)
        guard (200..<300).contains(response.status) else {
            let error = ShipEngineAnswer.error(for: response, doing: "buying the label of order \(purchase.orderID) box \(purchase.boxNo)")
            guard error.code == .refused else { throw error }
            return .refused(error.message)
        }
        return try await outcome(of: try Self.decode(ShipEngineAPI.Label.self, response, what: "a label"), for: due)
    }

    public func void(_ due: ProviderVoidDue) async throws(SyncError) -> ShipEngineAPI.VoidResult {
        try await void(providerLabelID: due.providerLabelID, labelID: due.labelID)
    }

    /// Looks up the label sold under the given-up purchase's key (`external_shipment_id`) and voids it.
    public func settle(_ abandoned: AbandonedLabelAttempt) async throws(SyncError) -> AbandonedLabelOutcome {
        let externalID = Self.externalShipmentID(for: abandoned.key)
        guard let label = try await lookUp(externalShipmentID: externalID) else { return .noneSold("no label was sold under \(externalID)") }
        if label.voided || label.status == "voided" { return .voided("label \(label.labelID) was voided already") }
        let answer = try await void(providerLabelID: label.labelID, labelID: label.labelID.uppercased())
        return answer.approved
            ? .voided("label \(label.labelID) voided")
            : .voidRefused("ShipEngine refused to void label \(label.labelID): \(answer.message)" + (answer.reasonCode.map { " (\($0))" } ?? ""))
    }

    private func void(providerLabelID: String, labelID: String) async throws(SyncError) -> ShipEngineAPI.VoidResult {
        let response = try await send("PUT", "/v1/labels/\(Self.pathSegment(providerLabelID))/void")
        guard (200..<300).contains(response.status) else {
            let error = ShipEngineAnswer.error(for: response, doing: "voiding label \(labelID)")
            guard error.code == .refused else { throw error }
            return ShipEngineAPI.VoidResult(approved: false, message: error.message)
        }
        return try Self.decode(ShipEngineAPI.VoidResult.self, response, what: "a void answer")
    }

    /// Records that a purchase's request ended, answered or not: a purchase the provider knows nothing
    /// of counts as none sold only a while after an unanswered one.
    private func attemptEnded(key: String, answered: Bool, now: Date) {
        do {
            try store.labelAttemptEnded(key: key, answered: answered, now: max(now, Date()))
        } catch {
            logger.warning("Cannot record when a label purchase's request ended", metadata: ["reason": "\(error)"])
        }
    }

    /// The label bought earlier under `externalShipmentID`, if any (a voided one does not count).
    private func lookUp(externalShipmentID: String) async throws(SyncError) -> ShipEngineAPI.Label? {
        let response = try await send("GET", "/v1/labels/external_shipment_id/\(Self.pathSegment(externalShipmentID))")
        if response.status == 404 { return nil }
        guard (200..<300).contains(response.status) else {
            let error = ShipEngineAnswer.error(for: response, doing: "looking up the label of \(externalShipmentID)")
            // Not knowing whether the label exists, buying could buy it twice: wait and ask again.
            throw error.code == .refused ? SyncError(.httpStatus, error.message, status: response.status) : error
        }
        return try Self.decode(ShipEngineAPI.Label.self, response, what: "a label")
    }

    /// The `external_shipment_id` of a purchase key: `wb-` and 40 hex digits of its SHA-256, within
    /// ShipEngine's 50 characters whatever the station id and box number.
    public static func externalShipmentID(for key: String) -> String {
        "wb-" + SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined().prefix(40)
    }

    /// The station's label for a ShipEngine label: its document downloaded and checked.
    private func outcome(of label: ShipEngineAPI.Label, for due: LabelPurchaseDue) async throws(SyncError) -> LabelPurchaseOutcome {
        let purchase = due.purchase
        // The station's id of the label is ShipEngine's upper-cased (`se-123` → `SE-123`): label ids name
        // print jobs and spool files and are drawn as barcodes (A-Z, 0-9, -); voids go by ShipEngine's.
        guard let stationLabelID = BarcodeID(rawValue: label.labelID.uppercased()),
            CentralIdentifier.problem(label.labelID) == nil
        else {
            return .refused("ShipEngine answered label id '\(label.labelID.prefix(80))', which is not 1-40 letters, digits and -")
        }
        guard label.status == "completed" else {
            return .retryLater("ShipEngine's label \(label.labelID) is \(label.status), not completed yet")
        }
        let format = settings.labelFormat
        guard let href = (format == .pdf ? label.labelDownload.pdf : label.labelDownload.zpl) ?? label.labelDownload.href else {
            return .refused("ShipEngine's label \(label.labelID) has no document to download")
        }
        let document: [UInt8]
        switch try await download(href, format: format, labelID: label.labelID) {
        case .success(let bytes): document = bytes
        case .failure(let problem): return .retryLater(problem.message)
        }
        let data = CentralAPI.LabelData(
            labelID: stationLabelID.rawValue,
            orderID: purchase.orderID,
            boxNo: purchase.boxNo,
            carrier: label.carrierCode ?? label.carrierID ?? settings.carrierID,
            service: label.serviceCode ?? settings.serviceCode(for: purchase.serviceLevel),
            trackingNumber: label.trackingNumber,
            cost: label.shipmentCost.amount,
            format: format.rawValue,
            zpl: format == .zpl ? String(decoding: document, as: UTF8.self) : nil,
            pdfBase64: format == .pdf ? Data(document).base64EncodedString() : nil
        )
        do {
            return .bought(data, json: String(decoding: try CanonicalJSON.encode(data), as: UTF8.self), providerLabelID: label.labelID)
        } catch {
            throw SyncError(.schema, "cannot encode label \(label.labelID): \(error)")
        }
    }

    /// Downloads a label document in `format`. The API key goes only to the API's own host. A
    /// document that cannot be had (a 404, not ZPL or not a PDF) is this box's problem: it fails,
    /// and the others go on.
    private func download(_ href: String, format: LabelFormat, labelID: String) async throws(SyncError) -> Result<[UInt8], SyncError> {
        guard href.hasPrefix("https://") || href.hasPrefix("http://") else {
            return .failure(SyncError(.schema, "label \(labelID)'s download address is not an http(s) URL"))
        }
        let sameHost = Self.origin(of: href) == Self.origin(of: settings.baseURL)
        let response = try await send(
            HTTPRequest(method: "GET", url: href, headers: sameHost ? [(name: "API-Key", value: settings.apiKey)] : [])
        )
        guard (200..<300).contains(response.status) else {
            let error = ShipEngineAnswer.error(for: response, doing: "downloading label \(labelID)")
            guard error.code == .refused else { throw error }
            return .failure(error)
        }
        let whole: Bool
        switch format {
        case .zpl: whole = String(validating: response.body, as: UTF8.self).map(CarrierLabelDocument.isZPL) == true
        case .pdf: whole = CarrierLabelDocument.isPDF(response.body)
        }
        guard response.body.count <= Self.maxDocumentBytes, whole else {
            return .failure(
                SyncError(
                    .schema,
                    "label \(labelID)'s document is not a \(format.rawValue.uppercased()) label (\(response.body.count) bytes); it is downloaded again",
                    status: response.status
                )
            )
        }
        return .success(response.body)
    }

    private func send(_ method: String, _ path: String, body: [UInt8] = [], freshConnection: Bool = false) async throws(SyncError)
        -> HTTPResponse
    {
        try await send(
            HTTPRequest(
                method: method,
                url: settings.baseURL + path,
                headers: [(name: "API-Key", value: settings.apiKey), (name: "Content-Type", value: "application/json")],
                body: body,
                freshConnection: freshConnection
            )
        )
    }

    /// Sends once the account's pace allows it; with `patience`, only when that is within so many
    /// seconds (else it throws, and nothing is booked).
    func send(_ request: HTTPRequest, patience: Double? = nil) async throws(SyncError) -> HTTPResponse {
        let now = (clock.now - origin).seconds
        let booked: Double? = bucket.withLock { bucket in
            if let patience, bucket.level(now: now) < 1 - patience * bucket.restoreRate { return nil }
            return bucket.book(now: now)
        }
        guard let wait = booked else {
            throw SyncError(.httpStatus, "the ShipEngine account's requests a minute are spent for now (labels go first)")
        }
        if wait > 0 {
            do {
                try await Task.sleep(for: .seconds(wait))
            } catch {
                throw SyncError(.transport, "cancelled while pacing requests to ShipEngine")
            }
        }
        do {
            return try await http.send(request)
        } catch {
            throw SyncError(.transport, "ShipEngine (\(Self.origin(of: request.url))) did not answer: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse, what: String) throws(SyncError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw SyncError(.schema, "ShipEngine's answer is not \(what): \(error)", status: response.status)
        }
    }

    static func address(_ address: CentralAPI.Address, residential: Bool) -> ShipEngineAPI.Address {
        ShipEngineAPI.Address(
            name: address.name,
            phone: address.phone,
            companyName: address.company,
            addressLine1: address.street1,
            addressLine2: address.street2,
            cityLocality: address.city,
            stateProvince: address.region,
            postalCode: address.postalCode,
            countryCode: address.country,
            addressResidentialIndicator: residential ? "yes" : "no"
        )
    }

    /// `scheme://host[:port]` of a URL.
    static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return url }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// `text` percent-encoded for one path segment.
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
