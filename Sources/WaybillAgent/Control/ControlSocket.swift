import Foundation

/// The local control socket: a Unix stream socket beside the database, mode 0660, that speaks one
/// JSON request and one JSON answer per line. `waybill sync` uses it to reach a running agent.
enum ControlSocket {
    /// The socket path for a station database.
    static func path(storePath: String) -> String { storePath + ".sock" }

    /// A request of the control protocol.
    struct Request: Codable {
        /// `sync` (wake the sync loop; with `wait`, answer once settled), `scale` (the bench scale as
        /// the agent reads it) or `ping`.
        var command: String
        var wait: Bool?
        var timeout: Double?
    }

    /// The answer to a request.
    struct Answer: Codable {
        var ok: Bool
        var settled: Bool?
        var outboxDepth: Int?
        var error: String?
        /// The answer to `scale`: nil when the agent has no scale configured.
        var scale: ScaleState?

        enum CodingKeys: String, CodingKey {
            case ok, settled
            case outboxDepth = "outbox_depth"
            case error, scale
        }
    }

    /// Wakes a running agent's sync loop, if one listens (after a command changed the outbox).
    static func nudge(storePath: String) {
        _ = try? send(Request(command: "sync", wait: false, timeout: nil), to: path(storePath: storePath))
    }

    /// Sends one request to the agent listening at `path`; nil when no agent listens there.
    static func send(_ request: Request, to path: String) throws -> Answer? {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard connect(descriptor, path: path) else { return nil }
        var line = try JSONEncoder().encode(request)
        line.append(UInt8(ascii: "\n"))
        guard writeAll(descriptor, Array(line)) else { return nil }
        guard let answer = readLine(descriptor) else { return nil }
        return try JSONDecoder().decode(Answer.self, from: Data(answer))
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

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
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
