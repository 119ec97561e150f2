import Foundation
import Synchronization
public import WaybillCore

#if canImport(Glibc)
    import Glibc
#endif

/// A serial scale on a pseudo-terminal: it answers NCI `W<CR>` or MT-SICS `SI<CR><LF>` requests
/// with what its display shows, as the real scale's firmware does. Tests point `scale.device` at
/// ``devicePath`` and change the display; ``unplug()`` closes the line like a pulled cable.
///
/// Not a mock of the reader: it speaks the scale's side of the protocol over a real tty.
public final class ScaleEmulator: Sendable {
    /// What the scale shows.
    public enum Display: Sendable {
        case stable(Double, unit: String)
        case motion(Double, unit: String)
        case overload
        case underload
        /// Ignore requests (a scale that stopped answering).
        case silent
    }

    public let scaleProtocol: ScaleProtocol
    /// The tty the station opens (`/dev/pts/N`).
    public let devicePath: String
    private let master: Int32
    /// The emulator's own hold on the tty: the line stays up (raw, no echo) while the station
    /// reopens it, as a real port does.
    private let hold: Int32
    private let display: Mutex<Display>
    private let requests = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)

    /// Opens a pseudo-terminal and starts answering on it.
    public init(_ scaleProtocol: ScaleProtocol, showing display: Display = .stable(0, unit: "lb")) throws {
        precondition(scaleProtocol.isSerial, "a HID scale is fed through a pipe, not a tty")
        // posix_openpt and ptsname are not in Swift's Glibc module; these are their Linux ioctls
        // (TIOCSPTLCK to unlock the slave, TIOCGPTN for its number).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            throw HubTestError("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let name = "/dev/pts/\(number)"
        let path = name
        let hold = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        var settings = termios()
        guard hold >= 0, tcgetattr(hold, &settings) == 0 else { throw HubTestError("cannot open \(path): \(String(cString: strerror(errno)))") }
        cfmakeraw(&settings)
        tcsetattr(hold, TCSANOW, &settings)
        self.scaleProtocol = scaleProtocol
        self.master = master
        self.hold = hold
        devicePath = path
        self.display = Mutex(display)
        Thread.start(named: "scale-emulator") { [self] in answer() }
    }

    /// Shows `display` from the next request on.
    public func show(_ display: Display) { self.display.withLock { $0 = display } }

    /// How many requests the scale received.
    public var requestCount: Int { requests.load(ordering: .relaxed) }

    /// Closes the scale's side of the line: the station's reads fail as with a pulled cable.
    public func unplug() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        close(master)
        close(hold)
    }

    private func answer() {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while !closed.load(ordering: .acquiring) {
            // A bounded wait, so unplug() ends this thread without closing a descriptor under a read.
            var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 100) > 0, !closed.load(ordering: .acquiring) else { continue }
            let count = read(master, &buffer, buffer.count)
            guard count > 0 else { continue }
            pending += buffer[0..<count]
            let terminator: UInt8 = scaleProtocol == .nci ? 0x0D : 0x0A
            while let end = pending.firstIndex(of: terminator) {
                pending.removeSubrange(...end)
                requests.add(1, ordering: .relaxed)
                let frame = Self.frame(scaleProtocol, display.withLock { $0 })
                if !frame.isEmpty { _ = frame.withUnsafeBytes { write(master, $0.baseAddress, $0.count) } }
            }
        }
    }

    /// The scale's answer to one request.
    static func frame(_ scaleProtocol: ScaleProtocol, _ display: Display) -> [UInt8] {
        switch (scaleProtocol, display) {
        case (_, .silent): return []
        case (.nci, .stable(let value, let unit)): return nci(String(format: "%8.2f", value) + unit, "00")
        case (.nci, .motion(let value, let unit)): return nci(String(format: "%8.2f", value) + unit, "10")
        case (.nci, .overload): return nci("^^^^^^^^", "02")
        case (.nci, .underload): return nci("________", "01")
        case (_, .stable(let value, let unit)): return Array(("S S " + String(format: "%10.3f", value) + " \(unit)\r\n").utf8)
        case (_, .motion(let value, let unit)): return Array(("S D " + String(format: "%10.3f", value) + " \(unit)\r\n").utf8)
        case (_, .overload): return Array("S +\r\n".utf8)
        case (_, .underload): return Array("S -\r\n".utf8)
        }
    }

    static func nci(_ weight: String, _ status: String) -> [UInt8] { Array("\n\(weight)\r\n\(status)\r".utf8) + [0x03] }

    deinit { unplug() }
}
