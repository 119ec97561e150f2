import Foundation
public import Logging
import Synchronization
public import WaybillCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reads the bench scale (`scale.device`, `scale.protocol`, `scale.baud`) on a thread of its own,
/// so blocking reads never sit on Swift's cooperative pool.
///
/// Serial scales are asked for a reading every ``interval``; a HID POS scale reports by itself.
/// A device that cannot be opened, goes away (unplugged: the read fails or hangs up) or stops
/// answering shows as disconnected with the reason, and is opened again every second, so plugging
/// the scale back in needs no restart. ``status`` is the latest state; ``onChange`` hears each new one.
public final class ScaleReader: Sendable {
    public let device: String
    public let scaleProtocol: ScaleProtocol
    public let baud: Int
    /// How often a serial scale is asked for a reading.
    public let interval: Duration
    private let logger: Logger
    private let state: Mutex<ScaleStatus>
    private let listeners = Mutex<[@Sendable (ScaleStatus) -> Void]>([])
    private let stopping = Atomic<Bool>(false)
    /// Written once to end a wait of the reading thread at once.
    private let wakeup: (read: Int32, write: Int32)

    /// Baud rates a scale is set to, with their termios speeds.
    static let bauds: [Int: speed_t] = [
        1200: speed_t(B1200), 2400: speed_t(B2400), 4800: speed_t(B4800), 9600: speed_t(B9600), 19200: speed_t(B19200),
        38400: speed_t(B38400), 57600: speed_t(B57600), 115_200: speed_t(B115200),
    ]

    /// - Throws: ``ScaleError`` for a baud rate a serial line cannot be set to.
    public init(device: String, scaleProtocol: ScaleProtocol, baud: Int = 9600, interval: Duration = .milliseconds(200), logger: Logger) throws {
        guard Self.bauds[baud] != nil else {
            throw ScaleError(
                "scale.baud \(baud) is not a serial speed; use one of \(Self.bauds.keys.sorted().map(String.init).joined(separator: ", "))"
            )
        }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw ScaleError("cannot make the scale reader's wake-up pipe: \(String(cString: strerror(errno)))") }
        self.device = device
        self.scaleProtocol = scaleProtocol
        self.baud = baud
        self.interval = interval
        self.logger = logger
        wakeup = (fds[0], fds[1])
        state = Mutex(ScaleStatus(device: device, problem: "the scale reader has not started"))
    }

    deinit {
        close(wakeup.read)
        close(wakeup.write)
    }

    /// The latest state of the scale.
    public var status: ScaleStatus { state.withLock { $0 } }

    /// Calls `listener` with every new state (from the reading thread; keep it short).
    public func onChange(_ listener: @escaping @Sendable (ScaleStatus) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// Starts the reading thread.
    public func start() {
        Thread.start(named: "waybill-scale") { [self] in run() }
    }

    /// Ends the reading thread (it closes the device).
    public func stop() {
        stopping.store(true, ordering: .releasing)
        var byte: UInt8 = 1
        _ = write(wakeup.write, &byte, 1)
    }

    private func publish(_ change: (inout ScaleStatus) -> Void) {
        let (new, changed) = state.withLock { status -> (ScaleStatus, Bool) in
            let old = status
            change(&status)
            return (status, status != old)
        }
        guard changed else { return }
        for listener in listeners.withLock({ $0 }) { listener(new) }
    }

    private var stopped: Bool { stopping.load(ordering: .acquiring) }

    private func run() {
        var lastProblem: String?
        while !stopped {
            let problem = session()
            guard !stopped else { break }
            publish {
                $0.connected = false
                $0.reading = nil
                $0.problem = problem
            }
            if problem != lastProblem { logger.warning("Scale not available", metadata: ["scale.device": "\(device)", "reason": "\(problem)"]) }
            lastProblem = problem
            // Open it again in a second (or at once when stopping).
            _ = wait(fd: nil, milliseconds: 1000)
        }
    }

    /// One open-read-close of the device; returns why it ended.
    private func session() -> String {
        let fd = open(device, (scaleProtocol.isSerial ? O_RDWR : O_RDONLY) | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return "cannot open \(device): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        if scaleProtocol.isSerial, let problem = configureSerial(fd) { return problem }
        // A HID scale that opens is plugged in; a serial line is connected once the scale answers.
        if !scaleProtocol.isSerial {
            publish {
                $0.connected = true
                $0.problem = nil
            }
        }
        var decoder = ScaleDecoder(scaleProtocol)
        var lastAnswer = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 256)
        let milliseconds = Self.milliseconds(interval)
        var nextRequest = ContinuousClock.now
        while !stopped {
            if let request = scaleProtocol.request, ContinuousClock.now >= nextRequest {
                guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else {
                    return "cannot write to \(device): \(String(cString: strerror(errno)))"
                }
                nextRequest = .now + interval
            }
            // Serial: wait for an answer until the next request is due; HID: for the next report.
            let timeout = scaleProtocol.isSerial ? max(1, min(milliseconds, Self.milliseconds(nextRequest - .now))) : 1000
            switch wait(fd: fd, milliseconds: timeout) {
            case .hangUp: return "\(device) went away (unplugged?)"
            case .timeout, .woken: break
            case .readable:
                let count = read(fd, &buffer, buffer.count)
                if count == 0 { return "\(device) went away (unplugged?)" }
                if count < 0 {
                    if errno == EAGAIN || errno == EINTR { continue }
                    return "cannot read \(device): \(String(cString: strerror(errno)))"
                }
                let readings = decoder.feed(buffer[0..<count])
                if let reading = readings.last {
                    lastAnswer = .now
                    publish {
                        $0.connected = true
                        $0.reading = reading
                        $0.problem = nil
                        $0.readAt = Date()
                    }
                }
            }
            // A serial scale that stops answering is as good as unplugged; a HID scale may be quiet.
            if scaleProtocol.isSerial, ContinuousClock.now - lastAnswer > .seconds(3) {
                publish {
                    $0.connected = false
                    $0.reading = nil
                    $0.problem = "\(device) does not answer (check the cable, scale.protocol and scale.baud)"
                }
                lastAnswer = .now
            }
        }
        return "stopped"
    }

    /// Raw 8N1 at the configured speed, no flow control, no echo.
    private func configureSerial(_ fd: Int32) -> String? {
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { return "\(device) is not a serial port: \(String(cString: strerror(errno)))" }
        cfmakeraw(&settings)
        settings.c_cflag |= tcflag_t(CLOCAL | CREAD)
        settings.c_cflag &= ~tcflag_t(CRTSCTS)
        let speed = Self.bauds[baud] ?? speed_t(B9600)
        guard cfsetispeed(&settings, speed) == 0, cfsetospeed(&settings, speed) == 0, tcsetattr(fd, TCSANOW, &settings) == 0 else {
            return "cannot set \(device) to \(baud) baud: \(String(cString: strerror(errno)))"
        }
        tcflush(fd, TCIOFLUSH)
        return nil
    }

    /// A wait as poll()'s whole milliseconds, rounded up (negative when it is already due).
    private static func milliseconds(_ duration: Duration) -> Int32 {
        Int32(clamping: Int((duration / .milliseconds(1)).rounded(.up)))
    }

    private enum Wait { case readable, hangUp, timeout, woken }

    /// Waits for `fd` to be readable, the wake-up pipe, or the timeout.
    private func wait(fd: Int32?, milliseconds: Int32) -> Wait {
        var fds = [pollfd(fd: wakeup.read, events: Int16(POLLIN), revents: 0)]
        if let fd { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        let ready = poll(&fds, nfds_t(fds.count), milliseconds)
        if ready <= 0 { return .timeout }
        if fds[0].revents != 0 { return .woken }
        let events = Int32(fds[1].revents)
        if events & Int32(POLLIN) != 0 { return .readable }
        if events & Int32(POLLHUP | POLLERR | POLLNVAL) != 0 { return .hangUp }
        return .timeout
    }
}
