import Foundation
import WaybillCore

/// The local control socket: a Unix stream socket beside the database, mode 0660, that speaks one
/// JSON request and one JSON answer per line. `waybill sync` uses it to reach a running agent.
enum ControlSocket {
    /// The socket path for a station database.
    static func path(storePath: String) -> String { storePath + ".sock" }

    /// A request of the control protocol.
    struct Request: Codable {
        /// `sync` (wake the sync loop; with `wait`, answer once settled), `scale` (the bench scale as
        /// the agent reads it), `health` (the agent's health model), `resync` (a client reset in `mode`, answered with a line per step
        /// until one is `done` or not `ok`) or `ping`.
        var command: String
        var wait: Bool?
        var timeout: Double?
        /// `recover` or `discard`, for `resync`.
        var mode: String?

        init(command: String, wait: Bool? = nil, timeout: Double? = nil, mode: String? = nil) {
            self.command = command
            self.wait = wait
            self.timeout = timeout
            self.mode = mode
        }
    }

    /// The answer to a request.
    struct Answer: Codable {
        var ok: Bool
        var settled: Bool?
        var outboxDepth: Int?
        var error: String?
        /// The answer to `scale`: nil when the agent has no scale configured.
        var scale: ScaleState?
        /// The answer to `health`: the agent's problems, most urgent first (empty when healthy).
        var health: [HealthProblem]?
        /// A step of a `resync`.
        var progress: String?
        /// Whether this is a `resync`'s last line, the re-download caught up.
        var done: Bool?

        init(
            ok: Bool,
            settled: Bool? = nil,
            outboxDepth: Int? = nil,
            error: String? = nil,
            scale: ScaleState? = nil,
            health: [HealthProblem]? = nil,
            progress: String? = nil,
            done: Bool? = nil
        ) {
            self.ok = ok
            self.settled = settled
            self.outboxDepth = outboxDepth
            self.error = error
            self.scale = scale
            self.health = health
            self.progress = progress
            self.done = done
        }

        enum CodingKeys: String, CodingKey {
            case ok, settled
            case outboxDepth = "outbox_depth"
            case error, scale, health, progress, done
        }
    }

    /// Wakes a running agent's sync loop, if one listens (after a command changed the outbox).
    static func nudge(storePath: String) {
        _ = try? send(Request(command: "sync", wait: false, timeout: nil), to: path(storePath: storePath))
    }

    /// Sends one request to the agent listening at `path`; nil when no agent listens there.
    static func send(_ request: Request, to path: String) throws -> Answer? {
        var first: Answer?
        let answered = try exchange(request, with: path) { answer in
            first = answer
            return false
        }
        return answered ? first : nil
    }

    /// Sends one request and hands each answer line to `each` until it returns false or the agent
    /// closes the connection; false when no agent listens at `path`.
    static func exchange(_ request: Request, with path: String, each: (Answer) throws -> Bool) throws -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard connect(descriptor, path: path) else { return false }
        var line = try JSONEncoder().encode(request)
        line.append(UInt8(ascii: "\n"))
        guard writeAll(descriptor, Array(line)), let answer = readLine(descriptor) else { return false }
        guard try each(try JSONDecoder().decode(Answer.self, from: Data(answer))) else { return true }
        while let answer = readLine(descriptor), try each(try JSONDecoder().decode(Answer.self, from: Data(answer))) {}
        return true
    }

    static func connect(_ descriptor: Int32, path: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
    }

    /// Writes every byte to the socket; false once the peer is gone (no SIGPIPE: an asker that
    /// left must not stop the agent).
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Reads up to the first newline (at most 1 MiB).
    static func readLine(_ descriptor: Int32) -> [UInt8]? {
        var result: [UInt8] = []
        var byte: UInt8 = 0
        while result.count < 1 << 20 {
            let count = read(descriptor, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else { return result.isEmpty ? nil : result }
            if byte == UInt8(ascii: "\n") { return result }
            result.append(byte)
        }
        return nil
    }
}
