import Foundation
import HTTPTypes
import Hummingbird
import WaybillCore
import WaybillHubStore

extension HubState {
    static let idempotencyKeyHeader = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    func addLabelRoutes(to router: Router<HubRequestContext>) {
        router.post("/v1/labels") { request, _ in
            try await self.faulted(.labels) { _ in
                try await self.guarded {
                    let stationID = try self.authenticate(request)
                    guard let key = request.headers[Self.idempotencyKeyHeader], !key.isEmpty, key.count <= 255 else {
                        return .error(.badRequest, "idempotency_key_missing", "send an Idempotency-Key header (1-255 characters) to buy a label")
                    }
                    let bytes = try await request.bytes()
                    let purchase: CentralAPI.LabelPurchase
                    do {
                        purchase = try JSONDecoder().decode(CentralAPI.LabelPurchase.self, from: Data(bytes))
                    } catch {
                        return .error(.badRequest, "invalid_request", "the request body is not a label purchase: \(error)")
                    }
                    guard purchase.dims.count == 3, purchase.dims.allSatisfy({ $0 > 0 }), purchase.weightLb > 0 else {
                        return .error(.badRequest, "invalid_request", "dims must be three positive numbers (inches) and weight_lb positive")
                    }
                    guard purchase.boxNo >= 1, purchase.boxCount >= purchase.boxNo else {
                        return .error(.badRequest, "invalid_request", "box_no must be 1 or more and at most box_count")
                    }
                    // Keys compared in their canonical form: the same purchase in another key order or spacing is the same request.
                    let canonical = String(decoding: try CanonicalJSON.encode(purchase), as: UTF8.self)
                    let start = try self.store.beginLabelPurchase(stationID: stationID, key: key, body: canonical)
                    func delivered(_ outcome: Delivery.Outcome, reason: String? = nil) throws {
                        try self.store.recordDelivery(
                            Delivery(
                                stationID: stationID,
                                epoch: nil,
                                seq: nil,
                                idempotencyKey: key,
                                type: "label_purchase",
                                entityID: purchase.orderID,
                                outcome: outcome,
                                reason: reason
                            ),
                            now: self.clock.now
                        )
                    }
                    switch start {
                    case .mismatch:
                        try delivered(.refused, reason: "idempotency_key_reused")
                        return .error(.unprocessableContent, "idempotency_key_reused", "this Idempotency-Key was used with a different request body")
                    case .inFlight:
                        try delivered(.refused)
                        return .error(.conflict, "request_in_flight", "a request with this Idempotency-Key is still being processed; retry later")
                    case .replay(let response):
                        try delivered(.duplicate)
                        var reply = HubReply(status: .ok, headers: HubReply.jsonContentType, body: Array(response.utf8))
                        reply.headers[Self.replayedHeader] = "true"
                        return reply
                    case .new:
                        do {
                            let response = try self.store.completeLabelPurchase(
                                stationID: stationID,
                                key: key,
                                request: purchase,
                                rates: self.rates,
                                now: self.clock.now
                            )
                            try delivered(.applied)
                            return HubReply(status: .ok, headers: HubReply.jsonContentType, body: Array(response.utf8))
                        } catch {
                            try? self.store.abandonLabelPurchase(stationID: stationID, key: key)
                            throw error
                        }
                    }
                }
            }
        }
        router.post("/v1/rates") { request, _ in
            try await self.faulted(.rates) { _ in
                try await self.guarded {
                    _ = try self.authenticate(request)
                    let body = try await request.decode(CentralAPI.RateRequest.self)
                    guard body.dims.count == 3, (2...8).contains(body.zone) else {
                        return .error(.badRequest, "invalid_request", "dims must be three numbers (inches) and zone 2 to 8")
                    }
                    let quotes = self.rates.quotes(outerDims: body.dims, grossLb: body.weightLb, zone: body.zone, residential: body.residential)
                    return try .json(CentralAPI.RateResponse(quotes: quotes))
                }
            }
        }
    }
}
