import Foundation
public import Hummingbird
import NIOPosix
public import WaybillStore

/// Who may use the local HTTP server, applied before any route:
///
/// - `/metrics`, `/healthz` and anything else outside the screen answer this machine only (403 to
///   the network).
/// - The screen (`/station…`) and its `/events`: a signed-in packer (session cookie), or, at the
///   station's own console on a station without packers, the station itself. Others are sent to
///   `/station/sign-in` (pages) or refused with 401 (scripts, forms).
/// - Every `POST` carries the session's CSRF token (`csrf` form field or `X-CSRF-Token` header),
///   and a browser's `Origin`, when sent, is this server: another site cannot act for a packer.
public struct StationAccess: RouterMiddleware {
    public typealias Context = StationRequestContext

    let sessions: StationSessions
    let store: WaybillStore
    /// The name recorded for gestures at the console of a station without packers.
    let stationName: String

    /// The session cookie's name.
    public static var cookie: String { "waybill_session" }

    public init(sessions: StationSessions, store: WaybillStore, stationName: String) {
        self.sessions = sessions
        self.store = store
        self.stationName = stationName
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let screen = path == "/station" || path.hasPrefix("/station/") || path == "/events"
        guard screen else {
            guard context.fromLoopback else {
                return StationResponse.text("\(path) is served to this machine only: ask from the station itself.\n", status: .forbidden)
            }
            return try await next(request, context)
        }
        var request = request
        var context = context
        let open = path == "/station/station.js" || path == "/station/station.css" || path == "/station/sign-in"
        let token = request.cookies[Self.cookie]?.value
        if let token, let signIn = sessions.session(token: token),
            let packer = try await StationBlocking.run({ try store.packer(named: signIn.name) }),
            packer.pinHash == signIn.credential
        {
            // Checked each time: a packer removed with `waybill packers remove`, or given a new
            // PIN, is out at once; the supervisor role is read afresh.
            context.signIn = StationSessions.SignIn(
                name: packer.name,
                supervisor: packer.supervisor,
                csrf: signIn.csrf,
                named: true,
                credential: packer.pinHash
            )
        } else if context.fromLoopback, !(try await StationBlocking.run { try store.hasPackers() }) {
            context.signIn = StationSessions.SignIn(name: stationName, supervisor: true, csrf: sessions.anonymousCSRF, named: false)
        } else if !open {
            if let token { sessions.end(token: token) }
            if request.method == .get, !(request.headers[.accept]?.contains("application/json") ?? false), path != "/events" {
                // Back to the page asked for once signed in (the sign-in form keeps screen paths only).
                let next = path == "/station" ? "" : "?next=" + path
                return Response(status: .seeOther, headers: [.location: "/station/sign-in" + next])
            }
            return StationResponse.json(["error": "sign in at /station/sign-in first"], status: .unauthorized)
        }
        if request.method == .post {
            if let origin = request.headers[.origin], let host = request.head.authority,
                origin != "http://" + host
            {
                return StationResponse.json(["error": "this request comes from another site (\(origin)); the station ignores it"], status: .forbidden)
            }
            let expected = context.signIn?.csrf ?? sessions.anonymousCSRF
            let body = try await request.collectBody(upTo: StationForm.limit)
            let sent = request.headers[StationForm.csrfHeader] ?? StationForm.field("csrf", in: String(buffer: body))
            guard let sent, StationSessions.tokensMatch(sent, expected) else {
                return StationResponse.json(
                    ["error": "this page is out of date (its security token does not match): reload it and try again"],
                    status: .forbidden
                )
            }
        }
        return try await next(request, context)
    }
}
