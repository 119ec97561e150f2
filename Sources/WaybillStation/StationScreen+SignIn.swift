import Foundation
import Hummingbird
import WaybillCore
import WaybillStore

extension StationScreen {
    func signInPage(message: String?, status: HTTPResponse.Status, csrf: String, next: String?) async throws -> Response {
        let hasPackers = try await blocking { try $0.hasPackers() }
        var context: [String: Any] = ["csrf": csrf, "hasPackers": hasPackers, "next": Self.safeNext(next)]
        if let message { context["message"] = message }
        return StationResponse.html(StationTemplates.library.render(context, withTemplate: "signin") ?? "", status: status)
    }

    /// Checks a name and PIN; on success starts a session (an HttpOnly, SameSite=Strict cookie) and
    /// goes on to the queue. Wrong PINs count per name and per computer (``StationSessions``).
    func signIn(form: StationForm, csrf: String, computer: String) async throws -> Response {
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        let next = Self.safeNext(form.next)
        func again(_ message: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await signInPage(message: message, status: status, csrf: csrf, next: next)
        }
        guard !name.isEmpty else { return try await again("Type your name, then your PIN.", .badRequest) }
        if let pause = sessions.pause(name: name, computer: computer) {
            return try await again("Too many wrong PINs. Try again in \(Self.seconds(pause)) s, or ask a supervisor.", .tooManyRequests)
        }
        let pin: PackerPIN
        do {
            pin = try PackerPIN(form.pin ?? "")
        } catch {
            return try await again("A PIN is 4 to 12 digits.", .badRequest)
        }
        let packer = try await blocking { store -> StationPacker? in
            let packer = try store.packer(named: name)
            // Someone unknown costs the same time as a wrong PIN: the answer says nothing about names.
            return PINHash.matches(pin, packer?.pinHash ?? PINHash.decoy) ? packer : nil
        }
        guard let packer else {
            let pause = sessions.miss(name: name, computer: computer)
            logger.notice("station sign-in refused", metadata: ["name": "\(String(name.prefix(32)))", "computer": "\(computer)"])
            let more = pause.map { " Too many wrong PINs: try again in \(Self.seconds($0)) s." } ?? ""
            return try await again("That name and PIN do not match." + more, pause == nil ? .unauthorized : .tooManyRequests)
        }
        sessions.hit(name: name)
        let (token, _) = sessions.start(name: packer.name, supervisor: packer.supervisor, credential: packer.pinHash)
        logger.info("station sign-in", metadata: ["packer": "\(packer.name)", "computer": "\(computer)"])
        var response = Response(status: .seeOther, headers: [.location: next])
        response.setCookie(
            Cookie(
                name: StationAccess.cookie,
                value: token,
                maxAge: Int(sessions.lifetime.components.seconds),
                path: "/",
                httpOnly: true,
                sameSite: .strict
            )
        )
        return response
    }

    func signOut(_ request: Request) -> Response {
        if let token = request.cookies[StationAccess.cookie]?.value { sessions.end(token: token) }
        var response = Response(status: .seeOther, headers: [.location: "/station/sign-in"])
        response.setCookie(Cookie(name: StationAccess.cookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    enum SupervisorCheck {
        case approved(String)
        case refused(String)
    }

    /// The supervisor whose PIN this is. Wrong PINs count like sign-in's, under one name for all
    /// supervisors.
    func supervisor(pin text: String, computer: String) async throws -> SupervisorCheck {
        let key = "supervisor PIN"
        if let pause = sessions.pause(name: key, computer: computer) {
            return .refused("Too many wrong supervisor PINs. Try again in \(Self.seconds(pause)) s.")
        }
        guard let pin = try? PackerPIN(text) else {
            return .refused("A supervisor accepts this weight: they type their PIN with the reason.")
        }
        let supervisors = try await blocking { try $0.packers().filter(\.supervisor) }
        guard !supervisors.isEmpty else {
            return .refused("No supervisor is set up at this station: on it, run waybill packers add NAME --supervisor.")
        }
        let approver = try await StationBlocking.run { supervisors.first { PINHash.matches(pin, $0.pinHash) }?.name }
        guard let approver else {
            let pause = sessions.miss(name: key, computer: computer)
            return .refused("That is not a supervisor's PIN." + (pause.map { " Try again in \(Self.seconds($0)) s." } ?? ""))
        }
        sessions.hit(name: key)
        return .approved(approver)
    }

    /// Where to go after signing in: a screen path, never another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/station"), !next.hasPrefix("/station/sign-"), !next.contains("//") else { return "/station" }
        return next
    }

    static func seconds(_ duration: Duration) -> Int { Int((duration / .seconds(1)).rounded(.up)) }
}

/// `GET /station/session`: who acts at this screen, and the token a script sends with each `POST`.
struct SessionAnswer: Encodable {
    let packer: String
    let named: Bool
    let supervisor: Bool
    let csrf: String

    init(_ who: StationSessions.SignIn) {
        packer = who.name
        named = who.named
        supervisor = who.supervisor
        csrf = who.csrf
    }
}
