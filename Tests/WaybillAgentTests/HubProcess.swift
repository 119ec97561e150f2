import Foundation
import Subprocess
import SystemPackage
import WaybillHTTP
import WaybillHubStore
import WaybillTestSupport

/// A `waybill-hub serve` process (the built binary) on a free loopback port, over a seeded database.
final class HubProcess: Sendable {
    let base: String
    private let pid: pid_t
    private let client = CurlHTTPClient()

    private init(base: String, pid: pid_t) {
        self.base = base
        self.pid = pid
    }

    static func start(databasePath: String, orders: Int) async throws -> HubProcess {
        let binary = URL(fileURLWithPath: WaybillBinary.path).deletingLastPathComponent().appendingPathComponent("waybill-hub").path
        _ = try HubStore.open(path: databasePath).seed(orders: orders, stations: 2, seed: 7)
        let port = try freePort()
        let log = databasePath + ".log"
        // The process outlives this call; it is stopped by pid in stop().
        let pid = try spawn(binary, ["serve", "--db", databasePath, "--listen", "127.0.0.1:\(port)"], log: log)
        let hub = HubProcess(base: "http://127.0.0.1:\(port)", pid: pid)
        // Generous: on a loaded shared machine the hub's start takes seconds.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let response = try? await hub.client.send(HTTPRequest(url: hub.base + "/healthz", timeout: .seconds(1))), response.status == 200 {
                return hub
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        hub.stop()
        throw HubTestError("waybill-hub did not start; see \(log)")
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    func ledger() async throws -> [LedgerEntry] {
        try JSONDecoder().decode([LedgerEntry].self, from: Data(try await client.send(HTTPRequest(url: base + "/admin/ledger")).body))
    }

    func view(station: String) async throws -> [String: Int] {
        let response = try await client.send(HTTPRequest(url: base + "/admin/view/\(station)?entity=order"))
        return try JSONDecoder().decode([String: Int].self, from: Data(response.body))
    }

    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw HubTestError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// posix_spawn with stdout and stderr to `log` and default signal dispositions.
    private static func spawn(_ path: String, _ arguments: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw HubTestError("cannot start \(path): \(String(cString: strerror(result)))") }
        return pid
    }
}
