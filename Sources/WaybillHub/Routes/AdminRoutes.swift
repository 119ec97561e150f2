import Foundation
import Hummingbird
import WaybillCore
import WaybillHubStore

/// Request bodies of the admin API.
struct AdminStationBody: Codable {
    let stationID: String
    enum CodingKeys: String, CodingKey { case stationID = "station_id" }
}

struct AdminOrderBody: Codable {
    let stationID: String
    let lines: [CentralAPI.Line]?
    enum CodingKeys: String, CodingKey {
        case stationID = "station_id"
        case lines
    }
}

struct AdminLinesBody: Codable {
    let lines: [CentralAPI.Line]
}

struct AdminFaultsBody: Codable {
    let spec: String
}

/// `POST /admin/changes/raw`: a change served exactly as given (`data` is raw JSON text, valid or not).
struct AdminRawChangeBody: Codable {
    let stationID: String
    let entity: String
    let id: String
    let version: Int
    let op: String
    let data: String
    enum CodingKeys: String, CodingKey {
        case stationID = "station_id"
        case entity, id, version, op, data
    }
}

/// `PUT /admin/ops/refuse`: the entities whose operations the hub refuses as a whole request.
struct AdminRefusalsBody: Codable {
    let entityIDs: [String]
    enum CodingKeys: String, CodingKey { case entityIDs = "entity_ids" }
}

struct AdminClockBody: Codable {
    let advanceSeconds: Double
    enum CodingKeys: String, CodingKey { case advanceSeconds = "advance_s" }
}

extension HubState {
    /// `/admin`: test and demo controls, answered on loopback only.
    func addAdminRoutes(to router: Router<HubRequestContext>) {
        let admin = router.group("admin")
        func route(
            _ method: HTTPRequest.Method,
            _ path: RouterPath,
            _ body: @escaping @Sendable (Request, HubRequestContext) async throws -> HubReply
        ) {
            admin.on(path, method: method) { request, context in
                guard context.isLoopback else {
                    return HubReply.error(.forbidden, "admin_loopback_only", "the admin API answers on loopback only").response
                }
                return try await self.guarded { try await body(request, context) }.response
            }
        }
        route(.get, "ledger") { _, _ in try .json(try self.store.ledger()) }
        route(.get, "deliveries") { _, _ in try .json(try self.store.deliveries()) }
        route(.get, "faults") { _, _ in
            try .json(AdminFaultsView(spec: self.faults.plan.spec, injected: self.faults.injectedCounts, requests: self.faults.requestCounts))
        }
        route(.put, "faults") { request, _ in
            let body = try await request.decode(AdminFaultsBody.self)
            do {
                self.faults.replace(with: try FaultPlan(spec: body.spec))
            } catch let error as FaultSpecError {
                return .error(.badRequest, "invalid_fault_spec", error.description)
            }
            self.logger.notice("Faults set", metadata: ["faults.spec": "\(body.spec)"])
            return try .json(["spec": body.spec])
        }
        route(.delete, "faults") { _, _ in
            self.faults.replace(with: FaultPlan())
            return try .json(["spec": ""])
        }
        route(.post, "stations") { request, _ in
            let body = try await request.decode(AdminStationBody.self)
            return try .json(["station_id": body.stationID, "secret": try self.store.addStation(id: body.stationID)])
        }
        route(.post, "stations/:id/revoke") { _, context in
            try self.store.revokeStation(id: try context.parameters.require("id"))
            return try .json(["revoked": try context.parameters.require("id")])
        }
        route(.post, "orders") { request, _ in
            let body = try await request.decode(AdminOrderBody.self)
            return try .json(["id": try self.store.createOrder(stationID: body.stationID, lines: body.lines)])
        }
        route(.get, "orders/:id") { _, context in
            let (version, order) = try self.store.order(id: try context.parameters.require("id"))
            return try .json(AdminOrderView(version: version, order: order))
        }
        route(.post, "orders/:id/cancel") { _, context in
            try .json(["version": try self.store.cancelOrder(try context.parameters.require("id"))])
        }
        route(.post, "orders/:id/address") { request, context in
            let address = try await request.decode(CentralAPI.Address.self)
            return try .json(["version": try self.store.editAddress(try context.parameters.require("id"), to: address)])
        }
        route(.post, "orders/:id/lines") { request, context in
            let body = try await request.decode(AdminLinesBody.self)
            return try .json(["version": try self.store.editLines(try context.parameters.require("id"), to: body.lines)])
        }
        route(.post, "orders/:id/reassign") { request, context in
            let body = try await request.decode(AdminStationBody.self)
            return try .json(["version": try self.store.reassignOrder(try context.parameters.require("id"), to: body.stationID)])
        }
        route(.get, "view/:station") { request, context in
            let entity = CentralAPI.Entity(rawValue: request.uri.queryParameters.get("entity") ?? "order") ?? .order
            return try .json(try self.store.view(of: entity, stationID: try context.parameters.require("station")))
        }
        route(.post, "changes/raw") { request, _ in
            let body = try await request.decode(AdminRawChangeBody.self)
            try self.store.appendRawChange(
                stationID: body.stationID,
                entity: body.entity,
                id: body.id,
                version: body.version,
                op: body.op,
                data: body.data
            )
            return try .json(["appended": body.id])
        }
        route(.put, "ops/refuse") { request, _ in
            let body = try await request.decode(AdminRefusalsBody.self)
            self.refusals.replace(with: Set(body.entityIDs))
            self.logger.notice("Operations refused for entities", metadata: ["entities": "\(body.entityIDs)"])
            return try .json(["refused": body.entityIDs])
        }
        route(.post, "compact") { _, _ in try .json(["horizon": try self.store.compact()]) }
        route(.post, "clock") { request, _ in
            let body = try await request.decode(AdminClockBody.self)
            self.clock.advance(by: body.advanceSeconds)
            return try .json(["now": ISO8601DateFormatter().string(from: self.clock.now)])
        }
    }
}

/// `GET /admin/faults`: the plan, how many faults of each kind it injected, and how many requests
/// each endpoint received since the plan was set.
struct AdminFaultsView: Codable {
    let spec: String
    let injected: [String: Int]
    let requests: [String: Int]
}

/// `GET /admin/orders/{id}`.
struct AdminOrderView: Codable {
    let version: Int
    let order: CentralAPI.OrderData
}
