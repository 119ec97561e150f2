import Foundation
import Testing
import WaybillHTTP
import WaybillTestSupport

/// The local HTTP server seen from the warehouse network: a real agent listening on every address,
/// asked through this machine's own non-loopback address (its peer address is then not loopback).
@Suite(.timeLimit(.minutes(5))) struct StationAccessTests {
    let http = CurlHTTPClient(configuration: .init(connectTimeout: .seconds(2), requestTimeout: .seconds(30)))

    /// This machine's first non-loopback IPv4 address.
    static var lanAddress: String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
            else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !text.hasPrefix("127.") { return text }
        }
        return nil
    }

    @Test(.enabled(if: lanAddress != nil, "this machine has no non-loopback address"))
    func offLoopback_metricsAreRefused_packersSignIn_andEveryPostCarriesTheToken() async throws {
        let station = try await SyncedStation.start()
        defer { station.stop() }
        try station.writeConfig(extra: "")
        let config = try String(contentsOfFile: station.configPath, encoding: .utf8)
            .replacingOccurrences(of: "listen: 127.0.0.1:", with: "listen: 0.0.0.0:")
        try config.write(toFile: station.configPath, atomically: true, encoding: .utf8)
        let added = try await WaybillBinary.run(["packers", "add", "ana", "--config", station.configPath], input: "2468\n")
        #expect(added.status == .exited(0), "\(added.standardError)")
        let agent = try AgentProcess.start(config: station.configPath)
        defer { agent.kill() }
        try await agent.waitForLog("Agent started")
        let lan = "http://\(try #require(Self.lanAddress)):\(try await agent.httpPort())"

        #expect(try await http.send(HTTPRequest(url: lan + "/metrics")).status == 403, "metrics stay on this machine")
        #expect(try await http.send(HTTPRequest(url: lan + "/healthz")).status == 403)
        #expect(try await http.send(HTTPRequest(url: try await agent.httpBase() + "/metrics")).status == 200)
        let queue = try await http.send(HTTPRequest(url: lan + "/station"))
        #expect(queue.status == 303 && queue.header("Location") == "/station/sign-in")
        #expect(try await http.send(HTTPRequest(url: lan + "/events")).status == 401)
        // A page asked for before signing in is where the packer lands after it.
        let deep = try await http.send(HTTPRequest(url: lan + "/station/orders/O-000001"))
        #expect(deep.status == 303 && deep.header("Location") == "/station/sign-in?next=/station/orders/O-000001", "\(deep.header("Location") ?? "")")
        let deepPage = try await http.send(HTTPRequest(url: lan + "/station/sign-in?next=/station/orders/O-000001")).text
        #expect(deepPage.contains(#"name="next" value="/station/orders/O-000001""#))

        // The sign-in form's token, then wrong PINs until the name pauses.
        let page = try await http.send(HTTPRequest(url: lan + "/station/sign-in")).text
        let anonymous = try #require(page.firstMatch(of: /name="csrf-token" content="([^"]+)"/)).1
        func signIn(_ pin: String, token: Substring = anonymous) async throws -> HTTPResponse {
            try await http.send(
                HTTPRequest(
                    method: "POST",
                    url: lan + "/station/sign-in",
                    headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array("csrf=\(token)&name=ana&pin=\(pin)".utf8)
                )
            )
        }
        #expect(try await signIn("2468", token: "forged").status == 403, "a form without the page's token is refused")
        for _ in 1...4 { #expect(try await signIn("1111").status == 401) }
        #expect(try await signIn("1111").status == 429)
        let paused = try await signIn("2468")
        #expect(paused.status == 429 && paused.text.contains("Too many wrong PINs"), "even the right PIN waits out the pause")

        // The pause is ana's: bo signs in from the network, and gets an HttpOnly, SameSite=Strict cookie.
        let bo = try await WaybillBinary.run(["packers", "add", "bo", "--config", station.configPath], input: "1357\n")
        #expect(bo.status == .exited(0), "\(bo.standardError)")
        /// Signs bo in from the network; returns the session cookie and its CSRF token.
        func signInBo(pin: String, next: String = "/station") async throws -> (cookie: String, csrf: String) {
            let signedIn = try await http.send(
                HTTPRequest(
                    method: "POST",
                    url: lan + "/station/sign-in",
                    headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array("csrf=\(anonymous)&name=bo&pin=\(pin)&next=\(next)".utf8)
                )
            )
            #expect(signedIn.status == 303 && signedIn.header("Location") == next, "\(signedIn.text)")
            let setCookie = try #require(signedIn.header("Set-Cookie"))
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), "\(setCookie)")
            let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
            let session = try await http.send(HTTPRequest(url: lan + "/station/session", headers: [("Cookie", cookie)]))
            let answer = try JSONSerialization.jsonObject(with: Data(session.body)) as? [String: Any]
            #expect(session.text.contains(#""packer":"bo""#))
            return (cookie, try #require(answer?["csrf"] as? String))
        }
        func signedIn(_ cookie: String) async throws -> Bool {
            let session = try await http.send(HTTPRequest(url: lan + "/station/session", headers: [("Cookie", cookie)]))
            #expect(session.status == 200 || session.status == 303)
            return session.status == 200
        }
        let (cookie, csrf) = try await signInBo(pin: "1357", next: "/station/orders/O-000001")
        func open(_ headers: [(String, String)]) async throws -> HTTPResponse {
            try await http.send(
                HTTPRequest(
                    method: "POST",
                    url: lan + "/station/open",
                    headers: [("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")] + headers,
                    body: Array("code=O-000001".utf8)
                )
            )
        }
        #expect(try await open([]).status == 403, "a POST without the session's token is refused")
        #expect(try await open([("X-CSRF-Token", String(anonymous))]).status == 403, "another session's token is refused")
        #expect(try await open([("X-CSRF-Token", csrf), ("Origin", "http://evil.example")]).status == 403, "another site's POST is refused")
        #expect(try await open([("X-CSRF-Token", csrf)]).status == 303, "with its token, the scan opens the order")
        // A new PIN (`--replace`) ends the sessions the old one started.
        let replaced = try await WaybillBinary.run(["packers", "add", "bo", "--replace", "--config", station.configPath], input: "9753\n")
        #expect(replaced.status == .exited(0), "\(replaced.standardError)")
        #expect(try await !signedIn(cookie), "a new PIN: sent to sign in at once")
        // Signing out ends the session on the station, not only in the browser.
        let second = try await signInBo(pin: "9753")
        let signOut = try await http.send(
            HTTPRequest(
                method: "POST",
                url: lan + "/station/sign-out",
                headers: [("Cookie", second.cookie), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("csrf=\(second.csrf)".utf8)
            )
        )
        #expect(signOut.status == 303 && signOut.header("Location") == "/station/sign-in")
        #expect(signOut.header("Set-Cookie")?.contains("Max-Age=0") == true, "\(signOut.header("Set-Cookie") ?? "")")
        #expect(try await !signedIn(second.cookie), "signed out: the old cookie is worth nothing")
        // Removing a packer signs them out at once.
        let third = try await signInBo(pin: "9753")
        #expect(try await WaybillBinary.run(["packers", "remove", "bo", "--config", station.configPath]).status == .exited(0))
        #expect(try await !signedIn(third.cookie), "removed: sent to sign in at once")
        #expect(agent.stop() == 0)
    }
}
