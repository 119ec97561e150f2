import Foundation
import Testing
import WaybillCore
import WaybillTestSupport

@Suite(.timeLimit(.minutes(5))) struct ChangesFeedTests {
    @Test func feed_pagesToTheEndWithValidChecksumsAndTheStationsScope() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"), orders: 40)
        let token = try await hub.tokens().accessToken
        var cursor = "0"
        var orders: Set<String> = []
        var entities: Set<String> = []
        var pages = 0
        while true {
            let response = try await hub.authorized("GET", "/v1/changes?cursor=\(cursor)&limit=37", token: token)
            #expect(response.status == 200)
            let page = try decode(CentralAPI.ChangesPage.self, response)
            // The checksum covers the exact bytes of the changes array.
            let text = response.text
            let start = text.range(of: "{\"changes\":")!.upperBound
            let end = text.range(of: ",\"next_cursor\"", options: .backwards)!.lowerBound
            #expect(FeedChecksum.of(Array(text[start..<end].utf8)) == page.checksum)
            #expect(page.changes.count <= 37)
            for change in page.changes {
                entities.insert(change.entity)
                if change.entity == "order" { orders.insert(change.id) }
            }
            pages += 1
            cursor = page.nextCursor
            if !page.hasMore { break }
        }
        #expect(pages > 5)
        #expect(entities.isSuperset(of: ["order", "sku", "stock", "box", "rate_table", "rules"]))
        // station-1 sees its own orders (odd numbers) and the warehouse pool (multiples of 10), never station-2's.
        let expected = Set((1...40).filter { $0 % 10 == 0 || $0 % 2 == 1 }.map { String(format: "O-%06d", $0) })
        #expect(orders == expected)
        // Caught up: the same cursor gives an empty page.
        let empty = try decode(CentralAPI.ChangesPage.self, try await hub.authorized("GET", "/v1/changes?cursor=\(cursor)", token: token))
        #expect(empty.changes.isEmpty)
        #expect(empty.nextCursor == cursor)
        await hub.stop()
    }

    @Test func compactedCursor_gets410_andCursorZeroResyncs() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let first = try decode(CentralAPI.ChangesPage.self, try await hub.authorized("GET", "/v1/changes?cursor=0&limit=5", token: token))
        _ = try await hub.send("POST", "/admin/orders/O-000001/cancel")
        #expect(try await hub.send("POST", "/admin/compact").status == 200)
        let gone = try await hub.authorized("GET", "/v1/changes?cursor=\(first.nextCursor)", token: token)
        #expect(gone.status == 410)
        #expect(gone.errorCode == "cursor_expired")
        let (changes, _) = try await hub.pull(token: token)
        // After compaction a full resync holds each entity once, at its newest version.
        let orderOne = changes.filter { $0.entity == "order" && $0.id == "O-000001" }
        #expect(orderOne.count == 1)
        #expect(orderOne.first?.data?["state"]?.stringValue == "cancelled")
        await hub.stop()
    }

    @Test func adminMutations_appearInTheFeedWithAHigherVersion() async throws {
        let folder = try TemporaryDirectory()
        let hub = try await RunningHub.start(databasePath: folder.file("hub.sqlite"))
        let token = try await hub.tokens().accessToken
        let (before, cursor) = try await hub.pull(token: token)
        let versionBefore = try #require(before.last { $0.id == "O-000003" }?.version)

        _ = try await hub.send(
            "POST",
            "/admin/orders/O-000003/address",
            body: #"{"name":"Zoë ^FS~JA","street1":"1 New St","city":"Åre","region":"OR","postal_code":"97001","country":"US"}"#
        )
        _ = try await hub.send("POST", "/admin/orders/O-000003/lines", body: #"{"lines":[{"line_no":1,"sku":"SKU-0001","quantity":3}]}"#)
        _ = try await hub.send("POST", "/admin/orders/O-000003/cancel")
        let created = try await hub.send("POST", "/admin/orders", body: #"{"station_id":"station-1"}"#)
        let newID = try #require(try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: String])["id"]
        _ = try await hub.send("POST", "/admin/orders/O-000005/reassign", body: #"{"station_id":"station-2"}"#)

        let (after, _) = try await hub.pull(token: token, from: cursor)
        let edits = after.filter { $0.id == "O-000003" }
        #expect(edits.map(\.version) == [versionBefore + 1, versionBefore + 2, versionBefore + 3])
        #expect(edits.last?.data?["state"]?.stringValue == "cancelled")
        #expect(edits.first?.data?["ship_to"]?["name"]?.stringValue == "Zoë ^FS~JA")
        #expect(after.contains { $0.id == newID })
        // The station that lost O-000005 learns it, with the new owner.
        #expect(after.last { $0.id == "O-000005" }?.data?["station_id"]?.stringValue == "station-2")
        await hub.stop()
    }
}
