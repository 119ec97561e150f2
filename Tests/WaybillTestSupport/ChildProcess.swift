import Foundation
public import Glibc

/// Starts programs for tests with posix_spawn, with the signal mask and dispositions reset (so a
/// child started from async code still stops on SIGTERM), and waits for them by PID.
public enum ChildProcess {
    /// Starts `arguments[0]` (looked up in PATH) and returns its PID; output goes to `logPath`
    /// (appended to, or started afresh with `truncatingLog`). The child gets `environment`, or by
    /// default the test run's own without its WAYBILL_* settings.
    public static func spawn(
        _ arguments: [String],
        logPath: String = "/dev/null",
        truncatingLog: Bool = false,
        environment: [String: String]? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | (truncatingLog ? O_TRUNC : O_APPEND), 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The test run's environment without its own WAYBILL_* settings (WAYBILL_CRASH_KILLS, …):
        // `waybill` refuses variables it does not know.
        let variables = environment ?? ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WAYBILL_") }
        var envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, &envp)
        guard result == 0 else { throw TestSupportError("cannot start \(arguments[0]): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Runs a program to its end and returns its output (stdout and stderr); throws with the output
    /// when it exits non-zero.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> String {
        let log = NSTemporaryDirectory() + "/waybill-child-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        defer { unlink(log) }
        let pid = try spawn(arguments, logPath: log)
        let status = wait(pid)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw TestSupportError("\(arguments.joined(separator: " ")) exited \(status): \(output)")
        }
        return output
    }

    /// Waits for `pid` and returns its exit status (128 + signal when killed).
    @discardableResult
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status & 0x7F == 0 { return (status >> 8) & 0xFF }
        return 128 + (status & 0x7F)
    }

    /// Whether `pid` has exited (reaping it if so).
    public static func hasExited(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    /// Sends `signal` to `pid` and waits for it; returns its exit status (128 + signal when killed).
    @discardableResult
    public static func signalAndWait(_ pid: pid_t, _ signal: Int32) -> Int32 {
        kill(pid, signal)
        return wait(pid)
    }

    /// The environment of a program started for a test without the test run's own: none of its
    /// variables (WAYBILL_CRASH_KILLS, …) reach the child.
    public static var cleanEnvironment: [String: String] { ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()] }

    /// Checks `condition` every 10 ms until it holds; throws `failure()` once `timeout` has passed.
    public static func poll(
        timeout: Duration = .seconds(30),
        _ failure: @autoclosure () -> String,
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestSupportError(failure())
    }
}

/// A test harness could not do what a test asked.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
