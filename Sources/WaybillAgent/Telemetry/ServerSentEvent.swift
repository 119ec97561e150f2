import Foundation
import WaybillCore
import WaybillStore

/// One Server-Sent Event, rendered as `event: NAME` and `data: JSON` lines and a blank line.
struct ServerSentEvent: Sendable, Hashable {
    let name: String
    let data: String

    var text: String { "event: \(name)\ndata: \(data)\n\n" }

    /// A comment line, which clients ignore: keeps idle connections open and finds dead ones.
    static let keepAlive = ": keep-alive\n\n"

    /// `event: counts`: how many orders are in each state, every state present, plus `total`.
    static func counts(_ counts: [OrderState: Int]) -> ServerSentEvent {
        var object = Dictionary(uniqueKeysWithValues: OrderState.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        object["total"] = counts.values.reduce(0, +)
        return ServerSentEvent(name: "counts", data: json(object))
    }

    /// `event: change`: one order's new state and version.
    static func change(_ change: OrderChange) -> ServerSentEvent {
        struct Body: Encodable {
            let order_id: String
            let state: String
            let version: Int
            let changed_at: String
        }
        let body = Body(
            order_id: change.orderID,
            state: change.state.rawValue,
            version: change.version,
            changed_at: ISO8601DateFormatter().string(from: change.changedAt)
        )
        return ServerSentEvent(name: "change", data: json(body))
    }

    /// `event: station`: what a station screen shows beside the counts ("offline since 10:42").
    static func station(status: StoreStatus, syncState: [SyncStateKey: String]) -> ServerSentEvent {
        struct Body: Encodable {
            let connectivity: String
            let offline_since: String?
            let outbox_depth: Int
            let conflicts_open: Int

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(connectivity, forKey: .connectivity)
                try container.encode(offline_since, forKey: .offline_since)
                try container.encode(outbox_depth, forKey: .outbox_depth)
                try container.encode(conflicts_open, forKey: .conflicts_open)
            }

            enum CodingKeys: CodingKey {
                case connectivity, offline_since, outbox_depth, conflicts_open
            }
        }
        let body = Body(
            connectivity: syncState[.connectivity] ?? "unknown",
            offline_since: syncState[.offlineSince].flatMap(Double.init).map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) },
            outbox_depth: status.outboxDepth,
            conflicts_open: status.conflictsOpen
        )
        return ServerSentEvent(name: "station", data: json(body))
    }

    private static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
