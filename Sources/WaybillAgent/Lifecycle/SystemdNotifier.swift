import Foundation

/// Tells systemd what the agent is doing, the `sd_notify(3)` way: plain datagrams on the AF_UNIX
/// socket named by `NOTIFY_SOCKET` (a path, or `@name` for an abstract socket). No libsystemd.
///
/// Without `NOTIFY_SOCKET` (not started by systemd, or `Type=` is not `notify`) every call does
/// nothing. The watchdog is on when `WATCHDOG_USEC` is set (and `WATCHDOG_PID`, when set, is this
/// process); the agent then sends `WATCHDOG=1` every ``watchdogInterval``, half the limit.
struct SystemdNotifier: Sendable {
    /// The notification socket, or `nil` when systemd does not listen.
    let socketPath: String?
    /// How often to send `WATCHDOG=1`: half of `WATCHDOG_USEC`; `nil` when the watchdog is off.
    let watchdogInterval: Duration?

    init(environment: [String: String] = ProcessInfo.processInfo.environment, processID: Int32 = getpid()) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        let forUs = environment["WATCHDOG_PID"].flatMap { Int32($0) }.map { $0 == processID } ?? true
        if path != nil, forUs, let micros = environment["WATCHDOG_USEC"].flatMap({ Int64($0) }), micros > 0 {
            watchdogInterval = .microseconds(micros / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// Whether systemd listens at all.
    var isEnabled: Bool { socketPath != nil }

    /// `READY=1` with a first status line: the agent serves.
    func ready(status: String) {
        send("READY=1\nSTATUS=\(status)")
    }

    /// `STATUS=...`: one line shown by `systemctl status waybill`.
    func status(_ line: String) {
        send("STATUS=\(line)")
    }

    /// `STOPPING=1`: the agent is shutting down gracefully.
    func stopping() {
        send("STOPPING=1\nSTATUS=stopping")
    }

    /// `WATCHDOG=1`, when the watchdog is on: the loop that sends it is alive.
    func watchdog() {
        guard watchdogInterval != nil else { return }
        send("WATCHDOG=1")
    }

    /// Sends one datagram of newline-separated assignments. Failures are ignored, as sd_notify's
    /// callers do: systemd not listening must never stop the agent.
    func send(_ message: String) {
        guard let socketPath else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        let abstract = path.first == UInt8(ascii: "@")
        if abstract { path[0] = 0 }
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path)
            if !abstract { buffer[path.count] = 0 }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + path.count + (abstract ? 0 : 1))
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), address, length) }
            }
        }
    }
}
