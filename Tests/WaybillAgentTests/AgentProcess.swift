import Foundation
import Synchronization
import WaybillTestSupport

/// A `waybill agent` process (the built binary) whose standard error goes to a log file the test reads.
///
/// Started with posix_spawn and default signal dispositions, so SIGTERM, SIGINT and SIGHUP reach it as
/// they would from systemd. ``kill()`` (SIGKILL) is safe to call in a `defer` after a clean ``stop()``.
final class AgentProcess: Sendable {
    let pid: pid_t
    let logPath: String
    private let exitStatus = Mutex<Int32?>(nil)

    private init(pid: pid_t, logPath: String) {
        self.pid = pid
        self.logPath = logPath
    }

    /// Starts `waybill agent --config config` with a clean environment plus `environment`.
    static func start(config: String, environment: [String: String] = [:], logPath: String? = nil) throws -> AgentProcess {
        let log = logPath ?? config + ".agent.log"
        var variables = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        variables.merge(environment) { $1 }
        let pid = try spawn(WaybillBinary.path, ["agent", "--config", config], environment: variables, log: log)
        return AgentProcess(pid: pid, logPath: log)
    }

    /// Everything the agent logged so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls the log until it contains `text`; throws with the log when `timeout` passes first.
    func waitForLog(_ text: String, timeout: Duration = .seconds(30)) async throws {
        try await poll(timeout: timeout, "the agent never logged '\(text)'") { self.log.contains(text) }
    }

    /// Polls `condition` every 10 ms until it holds; throws `message` and the agent's log after `timeout`.
    func poll(timeout: Duration = .seconds(30), _ message: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw HubTestError("\(message)\n--- agent log ---\n\(log)")
    }

    func send(_ signal: Int32) {
        Glibc.kill(pid, signal)
    }

    /// Sends SIGTERM and waits for the exit; returns the exit status (or 128 + signal).
    @discardableResult
    func stop() -> Int32 {
        if let status = exitStatus.withLock({ $0 }) { return status }
        Glibc.kill(pid, SIGTERM)
        return waitForExit()
    }

    /// Kills the agent with SIGKILL unless it has already exited; returns whether the kill landed
    /// (the agent was still running and died of it).
    @discardableResult
    func kill() -> Bool {
        guard exitStatus.withLock({ $0 }) == nil else { return false }
        Glibc.kill(pid, SIGKILL)
        return waitForExit() == 128 + SIGKILL
    }

    private func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exitStatus.withLock { $0 = code }
        return code
    }

    /// posix_spawn with stdout and stderr to `log`, an empty signal mask and default dispositions.
    private static func spawn(_ path: String, _ arguments: [String], environment: [String: String], log: String) throws -> pid_t {
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
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&signals, signal) }
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw HubTestError("cannot start \(path): \(String(cString: strerror(result)))") }
        return pid
    }
}
