import Foundation
public import Hummingbird
public import Logging
import Mustache
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
/// - `POST /station/orders/ORDER/scan` (`code=…`, or `hand=SKU` for an item confirmed by hand),
///   `…/weigh` (`box=…&weight=…` or `box=…&scale=1`) and `…/override` (`box=…&reason=…`, with
///   `supervisor_pin=…` unless a supervisor signed in): record the gesture with the signed-in
///   packer; JSON (`accepted`, `outcome`, `message`, `panel`) when the request accepts it, the page
///   otherwise.
/// - `GET|POST /station/sign-in`, `POST /station/sign-out`: packers sign in with their name and PIN
///   (``StationAccess`` decides when that is needed); `GET /station/session` says who is signed in
///   and the CSRF token scripts send.
///
/// Pages are rendered by the agent from its replica: they work with no internet at all. Database
/// work and PIN hashing run on NIO's blocking thread pool, never on the event loop or Swift's
/// cooperative pool.
public struct StationScreen: Sendable {
    let store: WaybillStore
    /// Plans an order that has no box plan yet (claiming and packing it through the outbox).
    let plan: @Sendable (String) async throws -> Void
    /// Who is signed in, and the wrong-PIN counts.
    public let sessions: StationSessions
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
    ///   - sessions: who is signed in; share it with the ``StationAccess`` in front of the routes.
    ///   - weightCheck: how far a box's weight may be from its expected weight.
    ///   - scale: the bench scale's latest state; `nil` without a scale (weights are typed).
    ///   - changed: called after the screen recorded something (a gesture, a weight, a plan).
    ///   - plan: plans an order without a box plan when it is opened.
    public init(
        store: WaybillStore,
        sessions: StationSessions = StationSessions(),
        weightCheck: WeightCheck = WeightCheck(),
        scale: (@Sendable () -> ScaleStatus)? = nil,
        logger: Logger,
        changed: @escaping @Sendable () -> Void = {},
        plan: @escaping @Sendable (String) async throws -> Void
    ) {
        self.store = store
        self.sessions = sessions
        self.weightCheck = weightCheck
        self.scale = scale
        self.changed = changed
        self.logger = logger
        self.plan = plan
    }

    /// Adds the screen's routes to `router`; put a ``StationAccess`` with the same sessions in front.
    public func addRoutes(to router: Router<StationRequestContext>) {
        let screen = self
        router.get("/station") { _, context in try await screen.queuePage(context.who, error: nil, status: .ok) }
        router.get("/station/sign-in") { request, context in
            let next = request.uri.queryParameters["next"].map(String.init)
            return try await screen.signInPage(message: nil, status: .ok, csrf: screen.csrf(context), next: next)
        }
        router.post("/station/sign-in") { request, context in
            try await screen.signIn(form: try await StationForm.read(request), csrf: screen.csrf(context), computer: context.computer)
        }
        router.post("/station/sign-out") { request, _ in screen.signOut(request) }
        router.get("/station/session") { _, context in StationResponse.json(SessionAnswer(context.who), status: .ok) }
        router.post("/station/open") { request, context in
            let form = try await StationForm.read(request)
            return try await screen.open(context.who, code: form.code ?? "")
        }
        router.get("/station/orders/:order") { request, context in
            let orderID = try StationForm.orderID(context.parameters)
            if request.headers[.accept]?.contains("application/json") ?? false { return try await screen.packState(orderID: orderID) }
            return try await screen.packPage(context.who, orderID: orderID, message: nil)
        }
        router.post("/station/orders/:order/scan") { request, context in
            let orderID = try StationForm.orderID(context.parameters)
            let form = try await StationForm.read(request)
            let gesture: PackGesture = form.hand.map { .byHand(sku: $0) } ?? .scan(form.code ?? "")
            return try await screen.scan(context.who, orderID: orderID, gesture: gesture, json: Self.wantsJSON(request))
        }
        router.get("/station/orders/:order/panel") { _, context in
            let orderID = try StationForm.orderID(context.parameters)
            let session = try await screen.blocking { try $0.packSession(orderID: orderID) }
            return StationResponse.html(screen.panel(session, context.who), status: .ok)
        }
        router.post("/station/orders/:order/weigh") { request, context in
            let orderID = try StationForm.orderID(context.parameters)
            let form = try await StationForm.read(request)
            let json = Self.wantsJSON(request)
            if form.scale == "1" { return try await screen.weighOnScale(context.who, orderID: orderID, box: form.box, json: json) }
            return try await screen.weigh(context.who, orderID: orderID, box: form.box, weight: form.weight, json: json)
        }
        router.get("/station/scale") { _, _ in StationResponse.json(ScaleAnswer(screen.scale?()), status: .ok) }
        router.post("/station/orders/:order/override") { request, context in
            let orderID = try StationForm.orderID(context.parameters)
            let form = try await StationForm.read(request)
            return try await screen.override(context, orderID: orderID, form: form, json: Self.wantsJSON(request))
        }
        router.get("/station/station.js") { _, _ in
            StationResponse.asset(StationAssets.script, type: "text/javascript; charset=utf-8")
        }
        router.get("/station/station.css") { _, _ in
            StationResponse.asset(StationAssets.styleSheet, type: "text/css; charset=utf-8")
        }
    }

    /// The CSRF token of the request's session, or the one of requests without a session.
    func csrf(_ context: StationRequestContext) -> String { context.signIn?.csrf ?? sessions.anonymousCSRF }

    static func wantsJSON(_ request: Request) -> Bool { request.headers[.accept]?.contains("application/json") ?? false }

    /// Runs store work on NIO's blocking thread pool.
    func blocking<T: Sendable>(_ work: @escaping @Sendable (WaybillStore) throws -> T) async throws -> T {
        let store = self.store
        return try await StationBlocking.run { try work(store) }
    }
}

extension StationRequestContext {
    /// Who acts: set by ``StationAccess`` for every screen route it lets through.
    var who: StationSessions.SignIn {
        signIn ?? StationSessions.SignIn(name: "unknown", supervisor: false, csrf: "", named: false)
    }
}
