import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

@Suite(.timeLimit(.minutes(5))) struct LabelPurchaseTests {
    let purchase = CentralAPI.LabelPurchase(
        orderID: "O-000001",
        boxNo: 1,
        boxCount: 2,
        dims: [12.25, 9.25, 6.25],
        weightLb: 3.2,
        fromLocation: "A",
        serviceLevel: "cheapest"
    )

    @Test func sameKeySameBody_isOnePurchaseReplayed() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let body = try encode(purchase)
        let key = [(name: "Idempotency-Key", value: "label-O-000001-1")]
        let first = try await hub.authorized("POST", "/v1/labels", token: token, body: body, headers: key)
        #expect(first.status == 200, "\(first.text)")
        #expect(first.header("Idempotent-Replayed") == nil)
        let label = try decode(CentralAPI.LabelData.self, first)
        #expect(label.zpl?.hasPrefix("^XA") == true)
        #expect(label.cost > 0)
        let second = try await hub.authorized("POST", "/v1/labels", token: token, body: body, headers: key)
        #expect(second.header("Idempotent-Replayed") == "true")
        #expect(second.body == first.body)
        #expect(try await hub.ledger().filter { $0.type == "label_purchase" }.count == 1)

        var other = purchase
        other.weightLb = 9
        let mismatch = try await hub.authorized("POST", "/v1/labels", token: token, body: try encode(other), headers: key)
        #expect(mismatch.status == 422)
        #expect(mismatch.errorCode == "idempotency_key_reused")
        // The same purchase written otherwise (keys in another order, spaces) is the same request: replayed.
        let reordered =
            #"{ "service_level": "cheapest", "from_location": "A", "weight_lb": 3.2, "dims": [12.25, 9.25, 6.25], "box_count": 2, "#
            + #""box_no": 1, "order_id": "O-000001" }"#
        let same = try await hub.authorized("POST", "/v1/labels", token: token, body: reordered, headers: key)
        #expect(same.status == 200 && same.header("Idempotent-Replayed") == "true", "\(same.status) \(same.text)")
        let missing = try await hub.authorized("POST", "/v1/labels", token: token, body: body)
        #expect(missing.status == 400)
        // A box number a station's feed would refuse is refused here, before a label is sold.
        for boxNo in [0, purchase.boxCount + 1] {
            var outside = purchase
            outside.boxNo = boxNo
            let refused = try await hub.authorized(
                "POST",
                "/v1/labels",
                token: token,
                body: try encode(outside),
                headers: [(name: "Idempotency-Key", value: "label-box-\(boxNo)")]
            )
            #expect(refused.status == 400 && refused.errorCode == "invalid_request", "box \(boxNo): \(refused.status) \(refused.text)")
        }
        await hub.stop()
    }

    @Test func purchaseStillInFlight_isAnswered409() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let body = try encode(purchase)
        let key = [(name: "Idempotency-Key", value: "in-flight")]
        // A first request holds the key (as it does while the carrier answers).
        let canonical = String(decoding: try CanonicalJSON.encode(purchase), as: UTF8.self)
        #expect(try hub.store.beginLabelPurchase(stationID: "station-1", key: "in-flight", body: canonical) == .new)
        let second = try await hub.authorized("POST", "/v1/labels", token: token, body: body, headers: key)
        #expect(second.status == 409)
        #expect(second.errorCode == "request_in_flight")
        // Once the first request gives up, the key can be used again.
        try hub.store.abandonLabelPurchase(stationID: "station-1", key: "in-flight")
        #expect(try await hub.authorized("POST", "/v1/labels", token: token, body: body, headers: key).status == 200)
        #expect(try await hub.ledger().filter { $0.type == "label_purchase" }.count == 1)
        await hub.stop()
    }

    /// The chaos run's stall: a hub killed between claiming a key and buying the label.
    @Test func purchaseLeftInFlightByADeadHub_isBoughtWhenTheHubStartsAgain() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("hub.sqlite")
        let first = try await RunningHub.start(databasePath: path)
        let canonical = String(decoding: try CanonicalJSON.encode(purchase), as: UTF8.self)
        #expect(try first.store.beginLabelPurchase(stationID: "station-1", key: "dead-hub", body: canonical) == .new)
        await first.stop()
        let hub = try await RunningHub.start(databasePath: path)
        let token = try await hub.tokens().accessToken
        let key = [(name: "Idempotency-Key", value: "dead-hub")]
        let retry = try await hub.authorized("POST", "/v1/labels", token: token, body: try encode(purchase), headers: key)
        #expect(retry.status == 200, "\(retry.status) \(retry.text)")
        #expect(try await hub.ledger().filter { $0.type == "label_purchase" }.count == 1)
        await hub.stop()
    }

    @Test func rates_quoteEveryServiceThatCanCarryTheParcel() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let request = CentralAPI.RateRequest(dims: [12.25, 9.25, 6.25], weightLb: 2.2, zone: 5, residential: true)
        let response = try await hub.authorized("POST", "/v1/rates", token: token, body: try encode(request))
        let quotes = try decode(CentralAPI.RateResponse.self, response).quotes
        #expect(Set(quotes.map(\.service)) == ["SIM_GROUND", "SIM_POSTAL"])
        #expect(quotes.allSatisfy { $0.total > 0 && $0.billableLb >= 3 })
        await hub.stop()
    }
}
