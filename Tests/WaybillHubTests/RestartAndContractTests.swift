import Foundation
import Testing
import WaybillCore
import WaybillHub
import WaybillHubStore
import WaybillTestSupport
import Yams

@Suite(.timeLimit(.minutes(5))) struct RestartAndContractTests {
    @Test func restart_keepsStateLedgerAndSequences() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("hub.sqlite")
        let hub = try await RunningHub.start(databasePath: path)
        var token = try await hub.tokens().accessToken
        let batch = try encode(CentralAPI.OperationBatch(ops: [op(seq: 1, "claim", "O-000001"), op(seq: 2, "pack", "O-000001")]))
        #expect(try await hub.authorized("POST", "/v1/ops", token: token, body: batch).status == 200)
        let ledger = try await hub.ledger()
        await hub.stop()

        let restarted = try await RunningHub.start(databasePath: path, seed: false, secrets: hub.secrets)
        token = try await restarted.tokens().accessToken
        #expect(try await restarted.ledger() == ledger)
        let replay = try decode(CentralAPI.OperationBatchResult.self, try await restarted.authorized("POST", "/v1/ops", token: token, body: batch))
        #expect(replay.results.map(\.status) == [.duplicate, .duplicate])
        let next = try encode(CentralAPI.OperationBatch(ops: [op(seq: 3, "label_request", "O-000001")]))
        let applied = try decode(CentralAPI.OperationBatchResult.self, try await restarted.authorized("POST", "/v1/ops", token: token, body: next))
        #expect(applied.results.first?.status == .applied)
        #expect(try restarted.store.order(id: "O-000001").order.state == "labelled")
        await restarted.stop()
    }

    @Test func openAPIFile_listsExactlyTheRoutesTheHubServes() throws {
        let folder = try TemporaryDirectory()
        let document = try #require(try Yams.load(yaml: try HubServer.openAPIDocument()) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch"]
        let documented = paths.flatMap { path, operations in
            operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
        }
        #expect(documented.sorted() == (try HubServer.routeList(databasePath: folder.file("hub.sqlite"))))
    }

    @Test func seed_isDeterministic() throws {
        let one = try TemporaryDirectory(), two = try TemporaryDirectory()
        let first = try HubStore.open(path: one.file("hub.sqlite"))
        let second = try HubStore.open(path: two.file("hub.sqlite"))
        let a = try first.seed(orders: 30, stations: 2, seed: 11)
        let b = try second.seed(orders: 30, stations: 2, seed: 11)
        #expect(a.secrets == b.secrets)
        for id in ["O-000001", "O-000017", "O-000030"] {
            #expect(try first.entity(.order, id: id)?.data == second.entity(.order, id: id)?.data)
        }
        #expect(try first.entity(.sku, id: "SKU-0042")?.data == second.entity(.sku, id: "SKU-0042")?.data)
        let mode = try FileManager.default.attributesOfItem(atPath: first.secretsDirectory + "/station-1.secret")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func seed_hasHostileAndNonASCIIAddressesAndEveryPackingRule() throws {
        let folder = try TemporaryDirectory()
        let store = try HubStore.open(path: folder.file("hub.sqlite"))
        _ = try store.seed(orders: 400, stations: 2, seed: 7)
        var names: [String] = []
        var lineCounts: [Int] = []
        for number in 1...400 {
            let order = try store.order(id: String(format: "O-%06d", number)).order
            names.append(order.shipTo.name)
            lineCounts.append(order.lines.count)
        }
        #expect(names.contains { $0.contains("^") || $0.contains("~") })
        #expect(names.contains { $0.unicodeScalars.contains { $0.value < 0x20 } })
        #expect(names.contains { !$0.allSatisfy(\.isASCII) })
        #expect(lineCounts.min() == 1)
        #expect(lineCounts.max()! <= 40)
        #expect(lineCounts.max()! > 10)
        var skus: [CentralAPI.SKUData] = []
        for index in 1...200 {
            let text = try #require(try store.entity(.sku, id: String(format: "SKU-%04d", index))?.data)
            skus.append(try JSONDecoder().decode(CentralAPI.SKUData.self, from: Data(text.utf8)))
        }
        #expect(skus.contains { $0.shipAlone })
        #expect(skus.contains { $0.keepUpright })
        #expect(Set(skus.map(\.mixClass)).isSuperset(of: ["food", "chem", "general"]))
        #expect(Set(skus.map(\.location)) == ["A", "B", "C"])
    }
}
