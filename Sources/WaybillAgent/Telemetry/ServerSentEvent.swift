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

    /// `event: station`: what a station screen shows beside the counts ("offline since 10:42", the
    /// station's problems from the health model).
    static func station(status: StoreStatus, syncState: [SyncStateKey: String], problems: [HealthProblem] = []) -> ServerSentEvent {
        struct Problem: Encodable {
            let kind: String
            let cause: String
            let blocks: String
            let action: String
        }
        struct Body: Encodable {
            let connectivity: String
            let offline_since: String?
            let outbox_depth: Int
            let conflicts_open: Int
            let state: String
            let problems: [Problem]
        }
        let body = Body(
            connectivity: syncState[.connectivity] ?? "unknown",
            offline_since: syncState[.offlineSince].flatMap(Double.init).map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) },
            outbox_depth: status.outboxDepth,
            conflicts_open: status.conflictsOpen,
            state: problems.isEmpty ? "ok" : "degraded",
            problems: problems.map { Problem(kind: $0.kind.rawValue, cause: $0.cause, blocks: $0.blocks, action: $0.action) }
        )
        return ServerSentEvent(name: "station", data: json(body))
    }

    private static func json(_ value: some Encodable) -> String {
        (try? CommandJSON.text(value)) ?? "{}"
    }
}
