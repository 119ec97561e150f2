import Hummingbird
import WaybillCore
import WaybillHubStore

extension HubState {
    static let defaultPageSize = 500
    static let maxPageSize = 5000

    func addChangesRoutes(to router: Router<HubRequestContext>) {
        router.get("/v1/changes") { request, _ in
            try await self.faulted(.changes) { fault in
                try await self.guarded {
                    let stationID = try self.authenticate(request)
                    let query = request.uri.queryParameters
                    guard let cursor = FeedCursor(query.get("cursor") ?? "0") else {
                        return .error(.badRequest, "invalid_request", "cursor must be a cursor from next_cursor, or 0 for a full resync")
                    }
                    let limit = min(Self.maxPageSize, max(1, Int(query.get("limit") ?? "") ?? Self.defaultPageSize))
                    let page = try self.store.changes(
                        stationID: stationID,
                        after: cursor,
                        limit: limit,
                        repeating: fault?.kind == .duplicateChanges ? 3 : 0
                    )
                    return Self.render(page, drift: fault?.kind == .schemaDrift)
                }
            }
        }
    }

    /// Renders a page by concatenating the stored change texts; the checksum covers the `changes` array's bytes.
    static func render(_ page: FeedPage, drift: Bool) -> HubReply {
        var array: [UInt8] = [UInt8(ascii: "[")]
        array.reserveCapacity(page.bodies.reduce(64) { $0 + $1.utf8.count + 1 })
        var first = true
        func append(_ body: String) {
            if !first { array.append(UInt8(ascii: ",")) }
            first = false
            if drift {
                // Schema drift: an unknown field in every change.
                array.append(contentsOf: "{\"x_drift\":{\"note\":\"new upstream field\"},".utf8)
                array.append(contentsOf: body.utf8.dropFirst())
            } else {
                array.append(contentsOf: body.utf8)
            }
        }
        for body in page.bodies { append(body) }
        if drift {
            // ... and a change of an entity type the contract does not know (yet).
            append(#"{"entity":"gift_wrap","id":"GW-1","version":1,"op":"upsert","data":{"style":"festive"}}"#)
        }
        array.append(UInt8(ascii: "]"))
        var body: [UInt8] = Array("{\"changes\":".utf8)
        body.reserveCapacity(array.count + 128)
        body.append(contentsOf: array)
        body.append(
            contentsOf:
                ",\"next_cursor\":\"\(page.nextCursor)\",\"has_more\":\(page.hasMore),\"head\":\"\(page.head)\",\"checksum\":\"\(FeedChecksum.of(array))\"}"
                .utf8
        )
        return HubReply(status: .ok, headers: HubReply.jsonContentType, body: body)
    }
}
