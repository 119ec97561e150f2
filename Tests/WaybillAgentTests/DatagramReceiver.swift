import Foundation
import Synchronization
import WaybillTestSupport

/// A real AF_UNIX datagram socket standing in for systemd's notification socket: it records every
/// datagram the agent sends. ``address`` is what goes into `NOTIFY_SOCKET` (a path, or `@name`).
final class DatagramReceiver: Sendable {
    let address: String
    private let descriptor: Int32
    private let received = Mutex<[(at: ContinuousClock.Instant, message: String)]>([])
    private let closed = Atomic<Bool>(false)

    /// Binds a socket at `path`, or in the abstract namespace as `abstractName`.
    init(path: String? = nil, abstractName: String? = nil) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        self.descriptor = descriptor
        var sockaddr = sockaddr_un()
        sockaddr.sun_family = sa_family_t(AF_UNIX)
        let name: [UInt8] = abstractName.map { [0] + Array($0.utf8) } ?? Array((path ?? "").utf8) + [0]
        withUnsafeMutableBytes(of: &sockaddr.sun_path) { $0.copyBytes(from: name) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + name.count)
        let bound = withUnsafePointer(to: &sockaddr) {
            $0.withMemoryRebound(to: Glibc.sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 }
        }
        guard bound else { throw HubTestError("cannot bind the notify socket: \(String(cString: strerror(errno)))") }
        address = abstractName.map { "@" + $0 } ?? path ?? ""
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !closed.load(ordering: .acquiring) {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count > 0 {
                    let message = String(decoding: buffer[0..<count], as: UTF8.self)
                    received.withLock { $0.append((.now, message)) }
                }
            }
            Glibc.close(descriptor)
        }
        thread.start()
    }

    /// Every datagram so far, in arrival order.
    var messages: [String] { received.withLock { $0.map(\.message) } }

    /// The longest time between two consecutive datagrams holding `assignment`, received after `start`.
    func longestGap(between assignment: String, after start: ContinuousClock.Instant) -> Duration {
        let times = received.withLock { $0.filter { $0.at >= start && $0.message.split(separator: "\n").contains { $0 == assignment } }.map(\.at) }
        return zip(times, times.dropFirst()).map { $1 - $0 }.max() ?? .zero
    }

    /// How many datagrams so far contain `assignment` as one of their lines.
    func count(_ assignment: String) -> Int {
        messages.filter { $0.split(separator: "\n").contains { $0 == assignment } }.count
    }

    func close() {
        closed.store(true, ordering: .releasing)
    }
}
