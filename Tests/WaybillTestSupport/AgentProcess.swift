public import Foundation
import Synchronization

/// A `waybill agent` process (the built binary) whose standard error goes to a log file the test reads.
///
/// Started with posix_spawn and default signal dispositions, so SIGTERM, SIGINT and SIGHUP reach it as
/// they would from systemd. ``kill()`` (SIGKILL) is safe to call in a `defer` after a clean ``stop()``.
public final class AgentProcess: Sendable {
    public let pid: pid_t
    public let logPath: String
    private let exitStatus = Mutex<Int32?>(nil)

    private init(pid: pid_t, logPath: String) {
        self.pid = pid
        self.logPath = logPath
    }

    /// Starts `waybill agent --config config` with a clean environment plus `environment`.
    public static func start(config: String, environment: [String: String] = [:], logPath: String? = nil) throws -> AgentProcess {
        let log = logPath ?? config + ".agent.log"
        let variables = ChildProcess.cleanEnvironment.merging(environment) { $1 }
        let pid = try spawn(WaybillBinary.path, ["agent", "--config", config], environment: variables, log: log)
        return AgentProcess(pid: pid, logPath: log)
    }

    /// Everything the agent logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls the log until it contains `text`; throws with the log when `timeout` passes first.
    public func waitForLog(_ text: String, timeout: Duration = .seconds(30)) async throws {
        try await poll(timeout: timeout, "the agent never logged '\(text)'") { self.log.contains(text) }
    }

    /// The port of the agent's local HTTP, from the address it logs once it listens (with
    /// `http.listen` port 0, the one the system picked).
    public func httpPort(timeout: Duration = .seconds(30)) async throws -> Int {
        try await waitForLog("Local HTTP listening", timeout: timeout)
        let address = try Regex(#"http\.address=\S*:(\d+)"#)
        guard let match = try address.firstMatch(in: log), let port = Int(match.output[1].substring ?? "") else {
            throw HubTestError("the agent logged no HTTP address; its log ends: \(log.suffix(1000))")
        }
        return port
    }

    /// `http://127.0.0.1:PORT` of the agent's local HTTP (see ``httpPort(timeout:)``).
    public func httpBase() async throws -> String { "http://127.0.0.1:\(try await httpPort())" }

    /// Polls `condition` every 10 ms until it holds; throws `message` and the agent's log after `timeout`.
    public func poll(timeout: Duration = .seconds(30), _ message: String, _ condition: () async throws -> Bool) async throws {
        try await ChildProcess.poll(timeout: timeout, "\(message)\n--- agent log ---\n\(self.log)", condition)
    }

    public func send(_ signal: Int32) {
        Glibc.kill(pid, signal)
    }

    /// Sends SIGTERM and waits for the exit; returns the exit status (or 128 + signal).
    @discardableResult
    public func stop() -> Int32 {
        if let status = exitStatus.withLock({ $0 }) { return status }
        Glibc.kill(pid, SIGTERM)
        return waitForExit()
    }

    /// Kills the agent with SIGKILL unless it has already exited; returns whether the kill landed
    /// (the agent was still running and died of it).
    @discardableResult
    public func kill() -> Bool {
        guard exitStatus.withLock({ $0 }) == nil else { return false }
        Glibc.kill(pid, SIGKILL)
        return waitForExit() == 128 + SIGKILL
    }

    private func waitForExit() -> Int32 {
        let code = ChildProcess.wait(pid)
        exitStatus.withLock { $0 = code }
        return code
    }

    /// Starts `path` with exactly `environment`, its log started afresh (a restarted agent's
    /// ``waitForLog(_:timeout:)`` must not find the previous one's lines).
    private static func spawn(_ path: String, _ arguments: [String], environment: [String: String], log: String) throws -> pid_t {
        try ChildProcess.spawn([path] + arguments, logPath: log, truncatingLog: true, environment: environment)
    }
}
