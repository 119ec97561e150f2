import Foundation
import Hummingbird
import Mustache
import WaybillCore
import WaybillStore

extension StationScreen {
    /// What every page shows besides its own content: the CSRF token its forms and script send,
    /// and who is signed in.
    func frame(_ who: StationSessions.SignIn) -> [String: Any] {
        var frame: [String: Any] = ["csrf": who.csrf]
        if who.named { frame["packer"] = who.name }
        return frame
    }

    func queuePage(_ who: StationSessions.SignIn, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let (orders, counts, offline) = try await blocking { store in
            (try store.benchQueue(), try store.orderCounts(), try store.syncState()[.connectivity] == "offline")
        }
        struct Line {
            let id: String
            let path: String
            let reference: String
            let name: String
            let detail: String
            let why: String
        }
        func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        let lines = orders.map { order in
            var detail = [plural(order.units, "unit")]
            if order.boxes > 0 { detail.append(plural(order.boxes, "box").replacingOccurrences(of: "boxs", with: "boxes")) }
            if order.verifiedUnits > 0 { detail.append("\(order.verifiedUnits) scanned") }
            return Line(
                id: order.id,
                path: StationForm.path(order.id),
                reference: order.reference,
                name: order.shipToName,
                detail: detail.joined(separator: " · "),
                why: order.openConflicts > 0 ? "\(plural(order.openConflicts, "conflict")) to decide: waybill conflicts list" : ""
            )
        }
        var context = frame(who)
        context["counts"] = OrderState.allCases.map { ["state": $0.rawValue, "count": counts[$0] ?? 0] }
        context["orders"] = lines.filter { $0.why.isEmpty }
        context["attention"] = lines.filter { !$0.why.isEmpty }
        context["hasAttention"] = lines.contains { !$0.why.isEmpty }
        context["offline"] = offline
        if let error { context["error"] = error }
        return StationResponse.html(StationTemplates.library.render(context, withTemplate: "queue") ?? "", status: status)
    }

    func open(_ who: StationSessions.SignIn, code: String) async throws -> Response {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return try await queuePage(who, error: "Scan a packing slip or type an order number.", status: .badRequest) }
        guard let orderID = try await blocking({ try $0.orderID(forScan: trimmed) }) else {
            let shown = String(trimmed.prefix(64))
            return try await queuePage(
                who,
                error: "No order matches \(shown). Check the number, or scan the packing slip's barcode.",
                status: .notFound
            )
        }
        return Response(status: .seeOther, headers: [.location: "/station/orders/" + StationForm.path(orderID)])
    }

    func packPage(_ who: StationSessions.SignIn, orderID: String, message: (text: String, tone: String)?) async throws -> Response {
        let session: PackSession
        do {
            session = try await sessionPlanningIfNeeded(orderID: orderID)
        } catch let error as StoreError {
            return try await queuePage(who, error: error.message, status: error.code == .notFound ? .notFound : .conflict)
        }
        return StationResponse.html(render(session: session, who: who, message: message), status: .ok)
    }

    func render(session: PackSession, who: StationSessions.SignIn, message: (text: String, tone: String)?) -> String {
        let view = PackView(session: session)
        let offline = (try? store.syncState()[.connectivity]) == "offline"
        let greeting =
            session.state == .packed
            ? (view.complete ? "Every box is verified." : "Scan the items of box \(view.openBox ?? 1).")
            : "Order \(session.order.id) is \(session.state.rawValue): nothing to scan here."
        var context = frame(who)
        context["view"] = view
        context["path"] = StationForm.path(session.order.id)
        context["message"] = message?.text ?? greeting
        context["tone"] = message?.tone ?? "info"
        context["offline"] = offline
        context["scale"] = scale?().description ?? ""
        context["supervisor"] = who.supervisor
        return StationTemplates.library.render(context, withTemplate: "pack") ?? ""
    }

    /// The pack view's boxes, as the page's script swaps them in.
    func panel(_ session: PackSession, _ who: StationSessions.SignIn) -> String {
        var context = frame(who)
        context["view"] = PackView(session: session)
        context["path"] = StationForm.path(session.order.id)
        context["supervisor"] = who.supervisor
        return StationTemplates.library.render(context, withTemplate: "panel") ?? ""
    }

    func packState(orderID: String) async throws -> Response {
        do {
            let session = try await sessionPlanningIfNeeded(orderID: orderID)
            return StationResponse.json(PackState(session: session), status: .ok)
        } catch let error as StoreError {
            return StationResponse.json(["error": error.message], status: error.code == .notFound ? .notFound : .conflict)
        }
    }

    /// The answer to a gesture: JSON with the panel for the page's script, or the page.
    func answer(
        _ who: StationSessions.SignIn,
        orderID: String,
        accepted: Bool,
        outcome: String,
        message: String,
        json: Bool
    ) async throws -> Response {
        let tone = accepted ? "ok" : "error"
        guard json else { return try await packPage(who, orderID: orderID, message: (message, tone)) }
        let session = try? await blocking { try $0.packSession(orderID: orderID) }
        let panel = session.map { self.panel($0, who) }
        return StationResponse.json(ScanAnswer(accepted: accepted, outcome: outcome, message: message, panel: panel), status: .ok)
    }

    /// The order's session; an assigned or claimed order without a plan is planned first.
    func sessionPlanningIfNeeded(orderID: String) async throws -> PackSession {
        do {
            return try await blocking { try $0.packSession(orderID: orderID) }
        } catch let error as StoreError where error.code == .invalidTransition {
            guard let order = try await blocking({ try $0.order(id: orderID) }), order.state == .assigned || order.state == .claimed else {
                throw error
            }
            do {
                try await plan(orderID)
                changed()
            } catch let planning as StoreError {
                throw planning
            } catch {
                throw StoreError(.invalidTransition, "order \(orderID) cannot be planned: \(error)")
            }
            return try await blocking { try $0.packSession(orderID: orderID) }
        }
    }
}
