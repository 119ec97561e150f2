import Foundation
import Synchronization
import WaybillTestSupport

/// A bare HTTP/1.1 GET over a loopback TCP socket that keeps reading: what a browser's EventSource
/// does with `/events`. Everything received (headers, chunk sizes and all) accumulates in ``received``.
final class StreamingHTTPClient: Sendable {
    private let descriptor: Int32
    private let buffer = Mutex<String>("")
    private let closed = Atomic<Bool>(false)

    init(port: Int, path: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { throw HubTestError("cannot connect to 127.0.0.1:\(port)") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in
            var bytes = [UInt8](repeating: 0, count: 8192)
            while !closed.load(ordering: .acquiring) {
                let count = recv(descriptor, &bytes, bytes.count, 0)
                if count > 0 {
                    let text = String(decoding: bytes[0..<count], as: UTF8.self)
                    buffer.withLock { $0 += text }
                } else if count == 0 {
                    break
                }
            }
            Glibc.close(descriptor)
        }
        thread.start()
    }

    var received: String { buffer.withLock { $0 } }

    func close() {
        closed.store(true, ordering: .releasing)
    }
}
