import Foundation
import Logging
import ServiceLifecycle
import WaybillCore
import WaybillStore

/// Listens on the control socket (mode 0660) and answers `waybill` commands while the agent runs.
///
/// Accepting runs on a dedicated thread (blocking POSIX calls stay off the cooperative pool); each
/// request is answered by an async task. Graceful shutdown closes the socket and removes its file.
struct ControlService: Service, CustomStringConvertible {
    /// Threads of their own for control connections, whose socket reads and writes block: a client
    /// that sends its request byte by byte or reads a resync's progress slowly holds one of these,
    /// never the blocking lane the services and the station screen share.
    static let connections = BlockingExecutor(threads: 2, name: "waybill-ctl")

    let path: String
    /// Answers each request.
    let handler: RequestHandler
    let logger: Logger

    var description: String { "ControlService" }

    func run() async throws {
        unlink(path)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw StationLockError(message: "cannot create the control socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // Bound beside its path, given its mode, then renamed into place: the socket never appears
        // with the umask's mode, not even for a moment.
        let staging = path + ".new"
        unlink(staging)
        let bytes = Array(staging.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw StationLockError(message: "the control socket path \(path) is too long; use a shorter store.path")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
        guard bound, chmod(staging, 0o660) == 0, rename(staging, path) == 0, listen(descriptor, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(staging)
            throw StationLockError(message: "cannot listen on the control socket \(path): \(reason)")
        }
        logger.debug("Control socket listening", metadata: ["control.socket": "\(path)"])
        Thread.start(named: "waybill.control") {
            while true {
                let connection = accept(descriptor, nil, nil)
                if connection < 0 {
                    if errno == EINTR { continue }
                    return
                }
                // A client that never sends its request line is dropped after 10 s.
                var timeout = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                Task(executorPreference: Self.connections) { await handler.serve(connection) }
            }
        }
        await withGracefulShutdownHandler {
            try? await gracefulShutdown()
        } onGracefulShutdown: {
            shutdown(descriptor, Int32(SHUT_RDWR))
        }
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
        unlink(path)
    }

    /// Answers one connection's request.
    struct RequestHandler: Sendable {
        let store: WaybillStore
        let wake: WakeSignal
        /// Wakes the print spooler and the autopilot: a command that asks for a sync may have
        /// recorded a label (a reprint) or changed what the autopilot acts on (a pack, a pause).
        let wakeWorkers: @Sendable () -> Void
        /// Whether the agent syncs (it does not until the station secret exists).
        let syncEnabled: Bool
        /// The bench scale as the agent reads it; nil without one.
        let scale: (@Sendable () -> ScaleState)?
        /// The agent's health model, for `health` requests (`waybill status`).
        let health: StationHealth
        /// Where `resync` requests go; nil when the agent does not sync.
        let resyncs: ForcedResyncs?
        /// The station database, beside which a discarding resync exports what it drops.
        let storePath: String
        /// Wakes the shift report's service (`report` requests from `waybill report send --now`).
        let wakeReports: @Sendable () -> Void

        func serve(_ connection: Int32) async {
            defer { close(connection) }
            guard let line = ControlSocket.readLine(connection) else { return }
            guard let request = try? JSONDecoder().decode(ControlSocket.Request.self, from: Data(line)) else {
                write(ControlSocket.Answer(ok: false, error: "not a control request"), to: connection)
                return
            }
            if request.command == "resync" {
                await resync(request, answeringOn: connection)
            } else {
                write(await respond(to: request), to: connection)
            }
        }

        @discardableResult
        private func write(_ answer: ControlSocket.Answer, to connection: Int32) -> Bool {
            guard var bytes = try? JSONEncoder().encode(answer) else { return false }
            bytes.append(UInt8(ascii: "\n"))
            return ControlSocket.writeAll(connection, Array(bytes))
        }

        /// Queues a forced resync and streams its steps; the reset goes on if the asker leaves.
        private func resync(_ request: ControlSocket.Request, answeringOn connection: Int32) async {
            guard let resyncs else {
                write(ControlSocket.Answer(ok: false, error: "sync is off: the station secret (central.secret_file) does not exist"), to: connection)
                return
            }
            guard let mode = request.mode.flatMap(ResetMode.init(rawValue:)) else {
                write(ControlSocket.Answer(ok: false, error: "resync needs a mode: recover or discard"), to: connection)
                return
            }
            let export = mode == .discard ? ForcedResyncs.exportPath(storePath: storePath) : nil
            guard let events = resyncs.ask(mode: mode, exportPath: export) else {
                let busy = "a resync is already under way, or the agent is stopping; wait and run it again"
                write(ControlSocket.Answer(ok: false, error: busy), to: connection)
                return
            }
            wake.wake()
            var listening = true
            for await event in events where listening {
                switch event {
                case .progress(let line): listening = write(ControlSocket.Answer(ok: true, progress: line), to: connection)
                case .done(let line): write(ControlSocket.Answer(ok: true, progress: line, done: true), to: connection)
                case .failed(let reason): write(ControlSocket.Answer(ok: false, error: reason), to: connection)
                }
            }
        }

        private func respond(to request: ControlSocket.Request) async -> ControlSocket.Answer {
            switch request.command {
            case "ping":
                return ControlSocket.Answer(ok: true)
            case "report":
                wakeReports()
                return ControlSocket.Answer(ok: true)
            case "scale":
                return ControlSocket.Answer(ok: true, scale: scale?())
            case "health":
                // Fresh for whoever asks: this runs on the blocking lane, like the periodic refresh.
                return ControlSocket.Answer(ok: true, health: health.refresh())
            case "sync" where !syncEnabled:
                wakeWorkers()
                return ControlSocket.Answer(
                    ok: false,
                    settled: false,
                    outboxDepth: (try? store.status().outboxDepth) ?? -1,
                    error: "sync is off: the station secret (central.secret_file) does not exist; put it there and restart the agent"
                )
            case "sync":
                let asked = Date()
                wake.wake()
                wakeWorkers()
                let deadline = asked.addingTimeInterval(request.timeout ?? 300)
                while request.wait == true, Date() < deadline {
                    if let settled = try? settledSince(asked), settled { break }
                    try? await Task.sleep(for: .milliseconds(50))
                    wake.wake()
                }
                let depth = (try? store.status().outboxDepth) ?? -1
                let settled = (try? settledSince(asked)) ?? false
                return ControlSocket.Answer(
                    ok: request.wait != true || settled,
                    settled: settled,
                    outboxDepth: depth,
                    error: (try? store.syncState()[.lastError]) ?? nil
                )
            default:
                return ControlSocket.Answer(ok: false, error: "unknown command \(request.command)")
            }
        }

        /// Whether a pull reached the end of the feed after `date` and nothing is left to push.
        private func settledSince(_ date: Date) throws -> Bool {
            let state = try store.syncState()
            guard let pulled = state[.lastPullAt].flatMap(Double.init), pulled >= date.timeIntervalSince1970 else { return false }
            return try store.status().outboxDepth == 0
        }
    }
}
