import Foundation
import Glibc

/// A private cupsd for tests: its own config, spool, logs and socket in a temporary folder, on a free
/// loopback port, with a capture backend that writes each job's bytes to a file. It is started and
/// stopped by its PID only and never touches the machine's own CUPS (/etc/cups, port 631, /run/cups).
///
/// Queues use the device URI `capture:/NAME`; ``setFault(_:on:)`` makes the backend fail like a
/// printer out of labels or unreachable.
public final class PrivateCupsd: @unchecked Sendable {
    /// How the capture backend fails on a queue.
    public enum Fault: String, Sendable {
        case mediaEmpty = "media-empty"
        case unreachable
    }

    /// The temporary folder holding everything.
    public let root: String
    public let port: Int
    /// `127.0.0.1:PORT`, for `cups.server` or `lp -h`.
    public var server: String { "127.0.0.1:\(port)" }
    /// The domain socket cupsd also listens on.
    public var socketPath: String { root + "/cups.sock" }
    public var captureDirectory: String { root + "/capture" }
    private var pid: pid_t?

    /// How much job history cupsd keeps and how much it logs.
    public enum Profile: Sendable {
        /// For tests: every job is kept (`MaxJobs 0`: reconciliation is tested past cupsd's 500) and
        /// logged at `info`.
        case tests
        /// As Debian ships `cupsd.conf`: at most 500 jobs kept, `LogLevel warn` (benchmarks).
        case stock
    }

    private let profile: Profile

    /// Creates the folder and configuration and starts cupsd, returning once it answers.
    ///
    /// - Parameters:
    ///   - parent: where its folder goes (default: the temporary directory; `/dev/shm` keeps
    ///     cupsd's and the backend's writes off the disk, to measure a client's own cost).
    ///   - profile: job history and logging (default: ``Profile/tests``).
    public init(parent: String? = nil, profile: Profile = .tests) async throws {
        let parent = parent ?? NSTemporaryDirectory()
        root = (parent.hasSuffix("/") ? parent : parent + "/") + "waybill-cups-" + String(UUID().uuidString.prefix(8))
        port = try LoopbackPort.free()
        self.profile = profile
        try writeConfiguration()
        try await start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Starts cupsd (again), returning once it accepts connections.
    public func start() async throws {
        guard pid == nil else { return }
        let started = try ChildProcess.spawn(
            ["/usr/sbin/cupsd", "-f", "-c", root + "/etc/cupsd.conf", "-s", root + "/etc/cups-files.conf"],
            logPath: root + "/log/cupsd.out"
        )
        pid = started
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if Self.accepts(port: port) { return }
            if ChildProcess.hasExited(started) {
                pid = nil
                throw TestSupportError("cupsd exited at start: \(log())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSupportError("cupsd did not answer on port \(port) within 15 s: \(log())")
    }

    /// Stops cupsd by its PID (SIGTERM, then SIGKILL after 10 s) and waits for it.
    public func stop() {
        guard let running = pid else { return }
        pid = nil
        kill(running, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if ChildProcess.hasExited(running) { return }
            usleep(10_000)
        }
        kill(running, SIGKILL)
        ChildProcess.wait(running)
    }

    /// cupsd's own CPU time so far, user and system (from /proc, in clock ticks of 10 ms); `nil`
    /// when it is not running.
    public func cpuTime() -> Duration? {
        guard let pid, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.range(of: ")", options: .backwards)
        else { return nil }
        let fields = stat[close.upperBound...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return .seconds(Double(user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// Adds an enabled, accepting raw queue printing to the capture backend.
    public func addQueue(_ name: String) throws {
        try admin(["lpadmin", "-h", server, "-p", name, "-v", "capture:/\(name)", "-E"])
    }

    /// Removes a queue.
    public func deleteQueue(_ name: String) throws { try admin(["lpadmin", "-h", server, "-x", name]) }
    /// `cupsdisable`: the queue keeps accepting jobs but holds them.
    public func disable(_ name: String) throws { try admin(["cupsdisable", "-h", server, name]) }
    /// `cupsenable`: the queue prints again.
    public func enable(_ name: String) throws { try admin(["cupsenable", "-h", server, name]) }
    /// `cupsreject`: the queue refuses new jobs.
    public func reject(_ name: String) throws { try admin(["cupsreject", "-h", server, name]) }
    /// `cupsaccept`: the queue takes jobs again.
    public func accept(_ name: String) throws { try admin(["cupsaccept", "-h", server, name]) }

    /// Makes the backend fail on `queue` from its next job on (`nil` clears the fault).
    public func setFault(_ fault: Fault?, on queue: String) throws {
        let path = root + "/faults/" + queue
        if let fault {
            try fault.rawValue.write(toFile: path, atomically: true, encoding: .utf8)
        } else {
            unlink(path)
        }
    }

    /// The bytes of every job captured for `title` (the job name), in job-id order.
    public func captured(_ title: String) -> [[UInt8]] {
        capturedFiles().filter { $0.name == title }.map { Array((try? Data(contentsOf: URL(fileURLWithPath: $0.path))) ?? Data()) }
    }

    /// Every captured job: its title, CUPS job id and file path.
    public func capturedFiles() -> [(name: String, jobID: Int, path: String)] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: captureDirectory)) ?? []
        return files.compactMap { file -> (String, Int, String)? in
            guard !file.hasPrefix("."), let dot = file.lastIndex(of: "."), let id = Int(file[file.index(after: dot)...]) else { return nil }
            return (String(file[..<dot]), id, captureDirectory + "/" + file)
        }
        .sorted { $0.1 < $1.1 }
    }

    /// The scheduler's error log, for failure messages.
    public func log() -> String {
        let errorLog = (try? String(contentsOfFile: root + "/log/error_log", encoding: .utf8)) ?? ""
        let output = (try? String(contentsOfFile: root + "/log/cupsd.out", encoding: .utf8)) ?? ""
        return String((output + errorLog).suffix(3000))
    }

    private func admin(_ arguments: [String]) throws {
        try ChildProcess.run(arguments)
    }

    private func writeConfiguration() throws {
        let manager = FileManager.default
        for folder in ["etc", "state", "cache", "spool", "spool/tmp", "log", "bin", "bin/backend", "faults", "capture"] {
            try manager.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        // Backends run as lp: the capture and fault folders must be theirs to use.
        chmod(root, 0o755)
        chmod(root + "/capture", 0o777)
        chmod(root + "/spool", 0o710)
        for link in ["filter", "daemon", "cgi-bin", "notifier", "driver", "monitor"] {
            try manager.createSymbolicLink(atPath: root + "/bin/" + link, withDestinationPath: "/usr/lib/cups/" + link)
        }
        let backend = root + "/bin/backend/capture"
        if let compiled = Self.compiledBackend {
            try manager.copyItem(atPath: compiled, toPath: backend)
        } else {
            let script = try String(contentsOfFile: Self.fixture("capture-backend.sh"), encoding: .utf8)
            try script.replacingOccurrences(of: "@ROOT@", with: root).write(toFile: backend, atomically: false, encoding: .utf8)
        }
        chmod(backend, 0o755)
        for file in ["raw.types", "raw.convs"] {
            try manager.copyItem(atPath: "/etc/cups/" + file, toPath: root + "/etc/" + file)
        }
        // The same templates as packaging/private-cupsd.sh (the demo's cupsd): one configuration.
        let values = [
            "@PORT@": String(port), "@ROOT@": root, "@LOG_LEVEL@": profile == .tests ? "info" : "warn", "@MAX_JOBS@": profile == .tests ? "0" : "500",
        ]
        for file in ["cupsd.conf", "cups-files.conf"] {
            var text = try String(contentsOfFile: Self.fixture(file + ".in"), encoding: .utf8)
            for (placeholder, value) in values { text = text.replacingOccurrences(of: placeholder, with: value) }
            try text.write(toFile: root + "/etc/" + file, atomically: true, encoding: .utf8)
        }
    }

    /// Fixtures/capture-backend.c, compiled into the temporary directory once per version of the
    /// source (kept there for later runs), static where the C library allows: one cheap exec per job (a Swift-linked or shell backend cost more
    /// CPU per job than cupsd itself, on the two cores the benchmarks share with it). `nil` without a
    /// C compiler: Fixtures/capture-backend.sh then does the same work.
    static let compiledBackend: String? = {
        let source = fixture("capture-backend.c")
        guard let bytes = FileManager.default.contents(atPath: source) else { return nil }
        // Named after the source's checksum: compiled once per version of it, kept for later runs.
        let checksum = bytes.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        let output = NSTemporaryDirectory() + "/waybill-capture-backend-" + String(checksum, radix: 16)
        if FileManager.default.isExecutableFile(atPath: output) { return output }
        let temporary = output + ".\(getpid())"
        for compiler in ["cc", "clang", "gcc"] {
            for extra in [["-static"], []] {
                guard (try? ChildProcess.run([compiler, "-O2", "-o", temporary, source] + extra)) != nil else { continue }
                if rename(temporary, output) == 0 { return output }
            }
        }
        unlink(temporary)
        return nil
    }()

    /// Which capture backend the private cupsds run (for benchmark output).
    public static var backendKind: String { compiledBackend == nil ? "shell script" : "compiled" }

    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name).path
    }

    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
