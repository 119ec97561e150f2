import Foundation
public import Hummingbird
public import Logging
import Mustache
import NIOPosix
public import WaybillCore
public import WaybillStore

/// The packer's station screen, served by the agent's local HTTP server under `/station`:
///
/// - `GET /station`: the pack queue (live counts over `/events`, orders that need a person apart,
///   the longest waiting first) and a scan field that opens an order by its number or a scanned
///   packing slip / box label.
/// - `GET /station/orders/ORDER`: the pack view: the plan box by box, what each box still misses, a
///   picture of where the units go, and the scan field. Opening an order that has no plan yet plans it.
///   With `Accept: application/json`, the same as data (``PackState``), for scripts and benchmarks.
/// - `POST /station/orders/ORDER/scan` (`code=…`, or `hand=SKU` for an item confirmed by hand):
///   records the gesture and its outcome; JSON (`accepted`, `outcome`, `message`, `panel`) when the
///   request accepts it, the page otherwise.
///
/// Pages are rendered by the agent from its replica: they work with no internet at all. Database
/// work runs on NIO's blocking thread pool, never on the event loop or Swift's cooperative pool.
public struct StationScreen: Sendable {
    let store: WaybillStore
    /// Plans an order that has no box plan yet (claiming and packing it through the outbox).
    let plan: @Sendable (String) throws -> Void
    /// Who packs at this screen, recorded with every gesture.
    let packer: String
    /// How far a box's weight may be from its expected weight.
    let weightCheck: WeightCheck
    /// The bench scale's latest state, when the station has one.
    let scale: (@Sendable () -> ScaleStatus)?
    /// Called after a gesture, a weighing or a plan was recorded: wakes the sync (to push its
    /// operation) and the print pipeline (a weighed box's labels print now, not at its next round).
    let changed: @Sendable () -> Void
    let logger: Logger

    /// - Parameters:
    ///   - store: the station's replica.
    ///   - packer: the packer's id recorded with each gesture (the station's own until packers sign in).
    ///   - weightCheck: how far a box's weight may be from its expected weight.
    ///   - scale: the bench scale's latest state; `nil` without a scale (weights are typed).
    ///   - changed: called after the screen recorded something (a gesture, a weight, a plan).
    ///   - plan: plans an order without a box plan when it is opened.
    public init(
        store: WaybillStore,
        packer: String,
        weightCheck: WeightCheck = WeightCheck(),
        scale: (@Sendable () -> ScaleStatus)? = nil,
        logger: Logger,
        changed: @escaping @Sendable () -> Void = {},
        plan: @escaping @Sendable (String) throws -> Void
    ) {
        self.store = store
        self.packer = packer
        self.weightCheck = weightCheck
        self.scale = scale
        self.changed = changed
        self.logger = logger
        self.plan = plan
    }

    /// Adds the screen's routes to `router`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let screen = self
        router.get("/station") { _, _ in try await screen.queuePage(error: nil, status: .ok) }
        router.post("/station/open") { request, _ in
            let form = try await StationForm.read(request)
            return try await screen.open(code: form.code ?? "")
        }
        router.get("/station/orders/:order") { request, context in
            let orderID = try StationForm.orderID(context.parameters)
            if request.headers[.accept]?.contains("application/json") ?? false { return try await screen.packState(orderID: orderID) }
            return try await screen.packPage(orderID: orderID, message: nil)
        }
        router.post("/station/orders/:order/scan") { request, context in
            let orderID = try StationForm.orderID(context.parameters)
            let form = try await StationForm.read(request)
            let gesture: PackGesture = form.hand.map { .byHand(sku: $0) } ?? .scan(form.code ?? "")
            let wantsJSON = request.headers[.accept]?.contains("application/json") ?? false
            return try await screen.scan(orderID: orderID, gesture: gesture, json: wantsJSON)
        }
        router.get("/station/orders/:order/panel") { _, context in
            let orderID = try StationForm.orderID(context.parameters)
            let session = try await screen.blocking { try $0.packSession(orderID: orderID) }
            return Self.html(
                StationTemplates.library.render(
                    ["view": PackView(session: session), "path": StationForm.path(orderID)] as [String: Any],
                    withTemplate: "panel"
                ) ?? "",
                status: .ok
            )
        }
        router.post("/station/orders/:order/weigh") { request, context in
            let orderID = try StationForm.orderID(context.parameters)
            let form = try await StationForm.read(request)
            let json = request.headers[.accept]?.contains("application/json") ?? false
            if form.scale == "1" { return try await screen.weighOnScale(orderID: orderID, box: form.box, json: json) }
            return try await screen.weigh(orderID: orderID, box: form.box, weight: form.weight, json: json)
        }
        router.get("/station/scale") { _, _ in Self.json(ScaleAnswer(screen.scale?()), status: .ok) }
        router.post("/station/orders/:order/override") { request, context in
            let orderID = try StationForm.orderID(context.parameters)
            let form = try await StationForm.read(request)
            let json = request.headers[.accept]?.contains("application/json") ?? false
            return try await screen.override(orderID: orderID, box: form.box, reason: form.reason ?? "", json: json)
        }
        router.get("/station/station.js") { _, _ in
            StationScreen.asset(StationAssets.script, type: "text/javascript; charset=utf-8")
        }
        router.get("/station/station.css") { _, _ in
            StationScreen.asset(StationAssets.styleSheet, type: "text/css; charset=utf-8")
        }
    }

    // MARK: Pages

    func queuePage(error: String?, status: HTTPResponse.Status) async throws -> Response {
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
        var context: [String: Any] = [
            "counts": OrderState.allCases.map { ["state": $0.rawValue, "count": counts[$0] ?? 0] },
            "orders": lines.filter { $0.why.isEmpty },
            "attention": lines.filter { !$0.why.isEmpty },
            "hasAttention": lines.contains { !$0.why.isEmpty },
            "offline": offline,
        ]
        if let error { context["error"] = error }
        return Self.html(StationTemplates.library.render(context, withTemplate: "queue") ?? "", status: status)
    }

    func open(code: String) async throws -> Response {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return try await queuePage(error: "Scan a packing slip or type an order number.", status: .badRequest) }
        guard let orderID = try await blocking({ try $0.orderID(forScan: trimmed) }) else {
            let shown = String(trimmed.prefix(64))
            return try await queuePage(error: "No order matches \(shown). Check the number, or scan the packing slip's barcode.", status: .notFound)
        }
        return Response(status: .seeOther, headers: [.location: "/station/orders/" + StationForm.path(orderID)])
    }

    func packPage(orderID: String, message: (text: String, tone: String)?) async throws -> Response {
        let session: PackSession
        do {
            session = try await blocking { store in try self.sessionPlanningIfNeeded(store, orderID: orderID) }
        } catch let error as StoreError {
            return try await queuePage(error: error.message, status: error.code == .notFound ? .notFound : .conflict)
        }
        return Self.html(render(session: session, message: message), status: .ok)
    }

    func render(session: PackSession, message: (text: String, tone: String)?) -> String {
        let view = PackView(session: session)
        let offline = (try? store.syncState()[.connectivity]) == "offline"
        let greeting =
            session.state == .packed
            ? (view.complete ? "Every box is verified." : "Scan the items of box \(view.openBox ?? 1).")
            : "Order \(session.order.id) is \(session.state.rawValue): nothing to scan here."
        let context: [String: Any] = [
            "view": view,
            "path": StationForm.path(session.order.id),
            "message": message?.text ?? greeting,
            "tone": message?.tone ?? "info",
            "offline": offline,
            "scale": scale?().description ?? "",
        ]
        return StationTemplates.library.render(context, withTemplate: "pack") ?? ""
    }

    func scan(orderID: String, gesture: PackGesture, json: Bool) async throws -> Response {
        let packer = self.packer
        let step: PackStep
        do {
            step = try await blocking { try $0.recordPackGesture(orderID: orderID, gesture: gesture, packer: packer) }
        } catch let error as StoreError {
            if json { return Self.json(ScanAnswer(accepted: false, outcome: "error", message: error.message, panel: nil), status: .conflict) }
            return try await packPage(orderID: orderID, message: (error.message, "error"))
        }
        changed()
        logger.debug(
            "bench gesture",
            metadata: ["order": "\(orderID)", "gesture": "\(gesture.kind)", "outcome": "\(step.outcome.code)", "seq": "\(step.operation.seq)"]
        )
        let tone = step.outcome.isAccepted ? "ok" : "error"
        guard json else { return Self.html(render(session: step.session, message: (step.message, tone)), status: .ok) }
        let panel = StationTemplates.library.render(
            ["view": PackView(session: step.session), "path": StationForm.path(orderID)] as [String: Any],
            withTemplate: "panel"
        )
        return Self.json(ScanAnswer(accepted: step.outcome.isAccepted, outcome: step.outcome.code, message: step.message, panel: panel), status: .ok)
    }

    func packState(orderID: String) async throws -> Response {
        do {
            let session = try await blocking { store in try self.sessionPlanningIfNeeded(store, orderID: orderID) }
            return Self.json(PackState(session: session), status: .ok)
        } catch let error as StoreError {
            return Self.json(["error": error.message], status: error.code == .notFound ? .notFound : .conflict)
        }
    }

    func weigh(orderID: String, box: Int?, weight: String?, json: Bool) async throws -> Response {
        let text = (weight ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard let box, let pounds = Double(text.hasSuffix("lb") ? String(text.dropLast(2)).trimmingCharacters(in: .whitespaces) : text) else {
            return try await answer(
                orderID: orderID,
                accepted: false,
                outcome: "error",
                message: "Type the box's weight in pounds, such as 2.45.",
                json: json
            )
        }
        return try await record(orderID: orderID, box: box, pounds: pounds, source: .manual, json: json)
    }

    /// Weighs a box with the scale's stable reading, read here (never a number the page sends).
    func weighOnScale(orderID: String, box: Int?, json: Bool) async throws -> Response {
        guard let box else {
            return try await answer(orderID: orderID, accepted: false, outcome: "error", message: "Choose the box to weigh.", json: json)
        }
        guard let status = scale?() else {
            return try await answer(
                orderID: orderID,
                accepted: false,
                outcome: "error",
                message: "This station has no scale: type the box's weight.",
                json: json
            )
        }
        guard let pounds = status.stableWeightLb else {
            let message = "The scale shows no stable weight (\(status.description)). Wait for it to settle, or type the weight."
            return try await answer(orderID: orderID, accepted: false, outcome: "error", message: message, json: json)
        }
        return try await record(orderID: orderID, box: box, pounds: pounds, source: .scale, json: json)
    }

    private func record(orderID: String, box: Int, pounds: Double, source: WeightSource, json: Bool) async throws -> Response {
        let (packer, check) = (self.packer, weightCheck)
        do {
            let weight = try await blocking {
                try $0.recordBoxWeight(orderID: orderID, boxNo: box, measuredLb: pounds, source: source, check: check, packer: packer)
            }
            changed()
            let message =
                weight.accepted
                ? String(format: "Box %d weighs %.2f lb, as expected: its labels print now.", box, pounds)
                : String(
                    format:
                        "Box %d weighs %.2f lb but should weigh %.2f ± %.2f lb. Check its contents and weigh it again, or a supervisor overrides with a reason.",
                    box,
                    pounds,
                    weight.expectedLb,
                    weight.allowedLb
                )
            return try await answer(
                orderID: orderID,
                accepted: weight.accepted,
                outcome: weight.accepted ? "within" : "mismatch",
                message: message,
                json: json
            )
        } catch let error as StoreError {
            return try await answer(orderID: orderID, accepted: false, outcome: "error", message: error.message, json: json)
        }
    }

    func override(orderID: String, box: Int?, reason: String, json: Bool) async throws -> Response {
        guard let box else {
            return try await answer(orderID: orderID, accepted: false, outcome: "error", message: "Choose the box to override.", json: json)
        }
        let packer = self.packer
        do {
            _ = try await blocking { try $0.overrideBoxWeight(orderID: orderID, boxNo: box, reason: reason, packer: packer) }
            changed()
            return try await answer(
                orderID: orderID,
                accepted: true,
                outcome: "override",
                message: "Box \(box)'s weight accepted by override (\(reason.trimmingCharacters(in: .whitespaces))): its labels print now.",
                json: json
            )
        } catch let error as StoreError {
            return try await answer(orderID: orderID, accepted: false, outcome: "error", message: error.message, json: json)
        }
    }

    /// The answer to a gesture: JSON with the panel for the page's script, or the page.
    func answer(orderID: String, accepted: Bool, outcome: String, message: String, json: Bool) async throws -> Response {
        let tone = accepted ? "ok" : "error"
        guard json else { return try await packPage(orderID: orderID, message: (message, tone)) }
        let session = try? await blocking { try $0.packSession(orderID: orderID) }
        let panel = session.map {
            StationTemplates.library.render(
                ["view": PackView(session: $0), "path": StationForm.path(orderID)] as [String: Any],
                withTemplate: "panel"
            )
                ?? ""
        }
        return Self.json(ScanAnswer(accepted: accepted, outcome: outcome, message: message, panel: panel), status: .ok)
    }

    /// The order's session; an assigned or claimed order without a plan is planned first.
    func sessionPlanningIfNeeded(_ store: WaybillStore, orderID: String) throws -> PackSession {
        do {
            return try store.packSession(orderID: orderID)
        } catch let error as StoreError where error.code == .invalidTransition {
            guard let order = try store.order(id: orderID), order.state == .assigned || order.state == .claimed else { throw error }
            do {
                try plan(orderID)
                changed()
            } catch let planning as StoreError {
                throw planning
            } catch {
                throw StoreError(.invalidTransition, "order \(orderID) cannot be planned: \(error)")
            }
            return try store.packSession(orderID: orderID)
        }
    }

    // MARK: Plumbing

    /// What a scan answers to the page's script.
    struct ScanAnswer: Encodable {
        let accepted: Bool
        let outcome: String
        let message: String
        let panel: String?
    }

    /// `GET /station/scale`: whether the station has a scale, and what it shows.
    struct ScaleAnswer: Encodable {
        let present: Bool
        let connected: Bool
        let stableLb: Double?
        let text: String

        init(_ status: ScaleStatus?) {
            present = status != nil
            connected = status?.connected ?? false
            stableLb = status?.stableWeightLb
            text = status?.description ?? "no scale: type each box's weight"
        }
    }

    /// Runs store work on NIO's blocking thread pool.
    func blocking<T: Sendable>(_ work: @escaping @Sendable (WaybillStore) throws -> T) async throws -> T {
        let store = self.store
        return try await NIOThreadPool.singleton.runIfActive { try work(store) }
    }

    static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
