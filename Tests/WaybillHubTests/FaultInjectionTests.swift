import Foundation
import Testing
import WaybillCore
import WaybillHTTP
import WaybillHub
import WaybillTestSupport

/// Each fault mode, switched on at run time with probability 1 and observed through a real client.
@Suite(.timeLimit(.minutes(5))) struct FaultInjectionTests {
    @Test(arguments: [("500", 500), ("502", 502), ("503", 503)])
    func statusFaults_answerWithThatStatusInTheErrorShape(kind: String, status: Int) async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        try await hub.setFaults("changes:\(kind):1")
        let response = try await hub.authorized("GET", "/v1/changes", token: token)
        #expect(response.status == status)
        #expect(response.errorCode == "injected_fault")
        await hub.stop()
    }

    @Test func rateLimit_answers429WithRetryAfter() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        try await hub.setFaults("*:429:1")
        let response = try await hub.authorized("GET", "/v1/changes", token: token)
        #expect(response.status == 429)
        #expect(response.header("Retry-After") == "1")
        await hub.stop()
    }

    @Test func leakyBucket_reportsItsLevelAndRefusesPastTheBurst() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        try await hub.setFaults("bucket")
        var levels: [String] = []
        var refused: HTTPResponse?
        let first = try await hub.authorized("GET", "/v1/changes?limit=1", token: token)
        levels.append(first.header("X-Api-Call-Limit") ?? "")
        // The bucket leaks 2 requests a second; ten at a time outpace it even on a busy machine.
        for _ in 0..<100 where refused == nil {
            let batch = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
                for _ in 0..<10 { group.addTask { try await hub.authorized("GET", "/v1/changes?limit=1", token: token) } }
                return try await group.reduce(into: [HTTPResponse]()) { $0.append($1) }
            }
            levels += batch.map { $0.header("X-Api-Call-Limit") ?? "" }
            refused = batch.first { $0.status == 429 }
        }
        #expect(levels.first == "1/40")
        let full = try #require(refused, "the bucket never filled")
        #expect(Int(full.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(levels.count > 40)
        await hub.stop()
    }

    @Test func latency_stillAnswers() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        try await hub.setFaults("changes:latency:1:50ms")
        #expect(try await hub.authorized("GET", "/v1/changes?limit=1", token: token).status == 200)
        let counts = try decode([String: JSONValue].self, try await hub.send("GET", "/admin/faults"))
        #expect(counts["injected"]?["latency"]?.intValue == 1)
        await hub.stop()
    }

    @Test(arguments: ["drop", "reset"])
    func connectionFaults_breakTheTransport(kind: String) async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        try await hub.setFaults("changes:\(kind):1")
        let error = await #expect(throws: HTTPClientError.self) {
            try await hub.authorized("GET", "/v1/changes?limit=200", token: token)
        }
        #expect(error?.code == .transport)
        await hub.stop()
    }

    @Test func truncate_sendsACompleteResponseWithBrokenJSON() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        try await hub.setFaults("changes:truncate:1")
        let response = try await hub.authorized("GET", "/v1/changes?limit=50", token: token)
        #expect(response.status == 200)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(CentralAPI.ChangesPage.self, from: Data(response.body)) }
        await hub.stop()
    }

    @Test func hang_neverAnswers_soTheClientTimesOut() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        try await hub.setFaults("changes:hang:1:3000ms")
        let client = CurlHTTPClient(configuration: .init(requestTimeout: .milliseconds(300)))
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(HTTPRequest(url: hub.base + "/v1/changes", headers: [(name: "Authorization", value: "Bearer \(token)")]))
        }
        #expect(error?.code == .timeout)
        await hub.stop()
    }

    @Test func duplicates_repeatChangesFromThePreviousPage() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let first = try decode(CentralAPI.ChangesPage.self, try await hub.authorized("GET", "/v1/changes?limit=10", token: token))
        try await hub.setFaults("changes:duplicates:1")
        let second = try decode(
            CentralAPI.ChangesPage.self,
            try await hub.authorized("GET", "/v1/changes?cursor=\(first.nextCursor)&limit=10", token: token)
        )
        #expect(second.changes.prefix(3) == first.changes.suffix(3))
        #expect(second.changes.count == 13)
        await hub.stop()
    }

    @Test func drift_addsUnknownFieldsAndAnUnknownEntity_withAValidChecksum() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        try await hub.setFaults("changes:drift:1")
        let response = try await hub.authorized("GET", "/v1/changes?limit=5", token: token)
        let page = try decode(CentralAPI.ChangesPage.self, response)
        #expect(response.text.contains("\"x_drift\""))
        #expect(page.changes.contains { $0.entity == "gift_wrap" })
        let text = response.text
        let array = text[text.range(of: "{\"changes\":")!.upperBound..<text.range(of: ",\"next_cursor\"", options: .backwards)!.lowerBound]
        #expect(FeedChecksum.of(Array(array.utf8)) == page.checksum)
        await hub.stop()
    }

    @Test func lostResponse_appliesTheOperationsButDropsTheAnswer() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        try await hub.setFaults("ops:lost:1")
        let batch = try encode(CentralAPI.OperationBatch(ops: [op(seq: 1, "claim", "O-000001")]))
        await #expect(throws: HTTPClientError.self) {
            try await hub.authorized("POST", "/v1/ops", token: token, body: batch)
        }
        #expect(try await hub.ledger().count == 1)
        try await hub.setFaults("")
        let retry = try decode(CentralAPI.OperationBatchResult.self, try await hub.authorized("POST", "/v1/ops", token: token, body: batch))
        #expect(retry.results.first?.status == .duplicate)
        #expect(try await hub.ledger().count == 1)
        await hub.stop()
    }

    @Test func mixedFaults_injectEveryKindWithin200Requests() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        // Latency and hangs last 400 ms here so the loop stays quick; the client times out first on a hang.
        try await hub.setFaults("mixed:0.3:400ms,seed=3")
        let client = CurlHTTPClient(configuration: .init(requestTimeout: .milliseconds(250)))
        for index in 0..<200 {
            let request =
                index % 2 == 0
                ? HTTPRequest(url: hub.base + "/v1/changes?limit=5", headers: [(name: "Authorization", value: "Bearer \(token)")])
                : HTTPRequest(
                    method: "POST",
                    url: hub.base + "/v1/ops",
                    headers: [(name: "Authorization", value: "Bearer \(token)")],
                    body: Array(#"{"ops":[]}"#.utf8)
                )
            _ = try? await client.send(request)
        }
        let counts = try decode([String: JSONValue].self, try await hub.send("GET", "/admin/faults"))
        for kind in FaultKind.allCases {
            #expect((counts["injected"]?[kind.rawValue]?.intValue ?? 0) > 0, "no \(kind.rawValue) fault in 200 requests")
        }
        await hub.stop()
    }
}
