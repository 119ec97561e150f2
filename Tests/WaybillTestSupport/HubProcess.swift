import Foundation
import Synchronization
import WaybillHTTP
public import WaybillHubStore

/// A `waybill-hub serve` process (the built binary) on a free loopback port, over a seeded database.
///
/// ``crash()`` SIGKILLs the process and ``restart()`` starts a new one on the same port and
/// database (with the same faults), as a central server that dies and comes back would.
public final class HubProcess: Sendable {
    public let base: String
    public let port: Int
    public let databasePath: String
    public let faults: String
    /// Further `serve` arguments (`--emulate shipping …`), kept for restarts.
    public let arguments: [String]
    private let pid: Mutex<pid_t>
    private let client = CurlHTTPClient()

    private init(port: Int, databasePath: String, faults: String, arguments: [String], pid: pid_t) {
        self.base = "http://127.0.0.1:\(port)"
        self.port = port
        self.databasePath = databasePath
        self.faults = faults
        self.arguments = arguments
        self.pid = Mutex(pid)
    }

    /// Seeds `databasePath` with `orders` orders and serves it, with `faults` (a `--faults` spec) on.
    public static func start(databasePath: String, orders: Int, faults: String = "", arguments: [String] = []) async throws -> HubProcess {
        _ = try HubStore.open(path: databasePath).seed(orders: orders, stations: 2, seed: 7)
        // The hub binds port 0 and reports the port it got: no window for another process to take it.
        let portFile = databasePath + ".port"
        try? FileManager.default.removeItem(atPath: portFile)
        let pid = try spawn(databasePath, port: 0, faults: faults, arguments: arguments, portFile: portFile)
        let port: Int
        do {
            port = try await reportedPort(portFile, pid: pid, log: databasePath + ".log")
        } catch {
            ChildProcess.signalAndWait(pid, SIGKILL)
            throw error
        }
        let hub = HubProcess(port: port, databasePath: databasePath, faults: faults, arguments: arguments, pid: pid)
        try await hub.waitUntilServing()
        return hub
    }

    private static func spawn(_ databasePath: String, port: Int, faults: String, arguments extra: [String], portFile: String? = nil) throws -> pid_t {
        let binary = URL(fileURLWithPath: WaybillBinary.path).deletingLastPathComponent().appendingPathComponent("waybill-hub").path
        // The process outlives this call; it is stopped by pid in stop().
        let arguments =
            ["serve", "--db", databasePath, "--listen", "127.0.0.1:\(port)"] + (faults.isEmpty ? [] : ["--faults", faults])
            + (portFile.map { ["--port-file", $0] } ?? []) + extra
        return try spawn(binary, arguments, log: databasePath + ".log")
    }

    /// The port a hub started with `--port-file` wrote, once it listens; throws when it exits first
    /// or does not listen within 30 s.
    private static func reportedPort(_ portFile: String, pid: pid_t, log: String) async throws -> Int {
        var port: Int?
        try await ChildProcess.poll("waybill-hub did not report a port within 30 s; see \(log)") {
            let text = (try? String(contentsOfFile: portFile, encoding: .utf8)) ?? ""
            port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            if port == nil, ChildProcess.hasExited(pid) {
                throw HubTestError("waybill-hub exited before it listened: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            return port != nil
        }
        return port!
    }

    private func waitUntilServing() async throws {
        do {
            // Generous: on a loaded shared machine the hub's start takes seconds.
            try await ChildProcess.poll("waybill-hub did not start; see \(databasePath).log") {
                (try? await client.send(HTTPRequest(url: base + "/healthz", timeout: .seconds(1))))?.status == 200
            }
        } catch {
            stop()
            throw error
        }
    }

    /// Stops the hub with SIGTERM and waits for it (safe to call twice).
    public func stop() {
        signalAndWait(SIGTERM)
    }

    /// Kills the hub with SIGKILL; returns whether it was running (the kill landed).
    @discardableResult
    public func crash() -> Bool {
        signalAndWait(SIGKILL) == 128 + SIGKILL
    }

    /// Starts the hub again on the same port, database and faults, once it was stopped or crashed.
    public func restart() async throws {
        try pid.withLock { $0 = try Self.spawn(databasePath, port: port, faults: faults, arguments: arguments) }
        try await waitUntilServing()
    }

    /// Sends `signal` and reaps the process; its exit status (128 + signal when killed), nil when none was running.
    @discardableResult
    private func signalAndWait(_ signal: Int32) -> Int32? {
        pid.withLock { pid in
            guard pid > 0 else { return nil }
            defer { pid = 0 }
            return ChildProcess.signalAndWait(pid, signal)
        }
    }

    /// Replaces the faults of the running hub (`PUT /admin/faults`; an empty spec turns them off).
    public func setFaults(_ spec: String) async throws {
        let body = try JSONEncoder().encode(["spec": spec])
        let response = try await client.send(
            HTTPRequest(method: "PUT", url: base + "/admin/faults", headers: [(name: "Content-Type", value: "application/json")], body: Array(body))
        )
        guard response.status == 200 else { throw HubTestError("PUT /admin/faults: \(response.status) \(response.text)") }
    }

    /// How many faults of each kind the running hub injected since it started.
    public func injectedFaults() async throws -> [String: Int] {
        struct View: Decodable { let injected: [String: Int] }
        return try JSONDecoder().decode(View.self, from: Data(try await client.send(HTTPRequest(url: base + "/admin/faults")).body)).injected
    }

    public func ledger() async throws -> [LedgerEntry] {
        try JSONDecoder().decode([LedgerEntry].self, from: Data(try await client.send(HTTPRequest(url: base + "/admin/ledger")).body))
    }

    /// Every delivery the hub received (first applications, duplicates and refusals).
    public func deliveries() async throws -> [Delivery] {
        try JSONDecoder().decode([Delivery].self, from: Data(try await client.send(HTTPRequest(url: base + "/admin/deliveries")).body))
    }

    /// What the Shopify emulator holds (`GET /admin/emulators/storefront`): every fulfillment order and fulfillment.
    public func emulatedStorefront() async throws -> (orders: [EmulatedFulfillmentOrderSummary], fulfillments: [EmulatedFulfillment]) {
        struct View: Decodable {
            let fulfillmentOrders: [EmulatedFulfillmentOrderSummary]
            let fulfillments: [EmulatedFulfillment]
            enum CodingKeys: String, CodingKey {
                case fulfillmentOrders = "fulfillment_orders"
                case fulfillments
            }
        }
        let view = try JSONDecoder().decode(View.self, from: Data(try await client.send(HTTPRequest(url: base + "/admin/emulators/storefront")).body))
        return (view.fulfillmentOrders, view.fulfillments)
    }

    /// Every label the ShipEngine emulator sold (`GET /admin/emulators/shipping`), voided ones included.
    public func emulatedLabels() async throws -> [EmulatedLabel] {
        struct View: Decodable { let labels: [EmulatedLabel] }
        return try JSONDecoder().decode(View.self, from: Data(try await client.send(HTTPRequest(url: base + "/admin/emulators/shipping")).body))
            .labels
    }

    public func view(station: String) async throws -> [String: Int] {
        let response = try await client.send(HTTPRequest(url: base + "/admin/view/\(station)?entity=order"))
        return try JSONDecoder().decode([String: Int].self, from: Data(response.body))
    }

    /// A free loopback port (see ``LoopbackPort/free()``).
    public static func freePort() throws -> Int { try LoopbackPort.free() }

    /// Starts `path` with a clean environment (``ChildProcess/cleanEnvironment``).
    private static func spawn(_ path: String, _ arguments: [String], log: String) throws -> pid_t {
        try ChildProcess.spawn([path] + arguments, logPath: log, environment: ChildProcess.cleanEnvironment)
    }
}
