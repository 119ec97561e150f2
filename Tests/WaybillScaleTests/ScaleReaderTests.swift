import Foundation
import Logging
import Testing
import WaybillCore
import WaybillScale
import WaybillTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The scale reader against scales it cannot tell from real ones: NCI and MT-SICS firmware
/// emulated on a pseudo-terminal, and recorded HID POS reports through a pipe. Stable and moving
/// readings, units, overload, a scale that stops answering, and one that is unplugged.
@Suite(.timeLimit(.minutes(2))) struct ScaleReaderTests {
    static let logger = Logger(label: "test.scale")

    @Test(arguments: [ScaleProtocol.nci, .mtSICS])
    func aSerialScale_givesStableReadingsOnly_inPounds_andShowsOverloadAndUnplugging(_ scaleProtocol: ScaleProtocol) async throws {
        let scale = try ScaleEmulator(scaleProtocol, showing: .motion(2.1, unit: "lb"))
        let reader = try ScaleReader(device: scale.devicePath, scaleProtocol: scaleProtocol, interval: .milliseconds(20), logger: Self.logger)
        reader.start()
        defer { reader.stop() }

        let moving = try await reader.waitFor("a moving reading") { $0.connected && $0.reading?.state == .motion }
        #expect(moving.stableWeightLb == nil, "a moving reading never weighs a box")
        scale.show(.stable(2.45, unit: "lb"))
        let stable = try await reader.waitFor("a stable reading") { $0.stableWeightLb != nil }
        #expect(abs((stable.stableWeightLb ?? 0) - 2.45) < 0.001)
        scale.show(.stable(1.5, unit: "kg"))
        let metric = try await reader.waitFor("a reading in kilograms") { ($0.stableWeightLb ?? 0) > 3 }
        #expect(abs((metric.stableWeightLb ?? 0) - 3.3069) < 0.001)
        scale.show(.overload)
        let overload = try await reader.waitFor("overload") { $0.reading?.state == .overload }
        #expect(overload.stableWeightLb == nil && overload.description.hasPrefix("over capacity"))

        scale.unplug()
        let unplugged = try await reader.waitFor("the unplugged scale") { !$0.connected }
        #expect(unplugged.stableWeightLb == nil)
        #expect(unplugged.description.contains("type the weight by hand"), "\(unplugged.description)")
        #expect(scale.requestCount > 0)
    }

    @Test func aScaleThatStopsAnswering_isDisconnected_untilItAnswersAgain() async throws {
        let scale = try ScaleEmulator(.mtSICS, showing: .stable(907.18, unit: "g"))
        let reader = try ScaleReader(device: scale.devicePath, scaleProtocol: .mtSICS, interval: .milliseconds(20), logger: Self.logger)
        reader.start()
        defer { reader.stop() }
        let grams = try await reader.waitFor("a reading in grams") { $0.stableWeightLb != nil }
        #expect(abs((grams.stableWeightLb ?? 0) - 2.0) < 0.001)
        scale.show(.silent)
        let silent = try await reader.waitFor("the silent scale") { !$0.connected }
        #expect(silent.problem?.contains("does not answer") == true, "\(silent)")
        scale.show(.stable(1, unit: "lb"))
        let back = try await reader.waitFor("the scale answering again") { $0.stableWeightLb == 1 }
        #expect(back.connected)
    }

    @Test func aHIDScale_readsRecordedReportsFromAPipe_andHangingUpDisconnects() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("hidraw0")
        try #require(mkfifo(path, 0o600) == 0)
        // The test holds the pipe's write side, as the kernel does for a plugged-in scale.
        let writer = open(path, O_RDWR | O_CLOEXEC)
        try #require(writer >= 0)
        let reader = try ScaleReader(device: path, scaleProtocol: .hidPOS, logger: Self.logger)
        reader.start()
        defer { reader.stop() }
        func send(_ report: [UInt8]) { _ = report.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } }

        send([3, 3, 11, 0xFF, 0x10, 0x00])  // moving
        _ = try await reader.waitFor("a moving HID reading") { $0.reading?.state == .motion }
        send([3, 4, 11, 0xFF, 0xA0, 0x00])  // 16.0 oz, stable
        let stable = try await reader.waitFor("a stable HID reading") { $0.stableWeightLb != nil }
        #expect(stable.stableWeightLb == 1.0)
        send([3, 6, 11, 0xFF, 0x00, 0x00])  // over weight
        _ = try await reader.waitFor("a HID overload") { $0.reading?.state == .overload }
        close(writer)
        let gone = try await reader.waitFor("the unplugged HID scale") { !$0.connected }
        #expect(gone.problem?.contains("went away") == true || gone.problem?.contains("cannot") == true, "\(gone)")
    }

    @Test func aDeviceThatCannotOpen_saysSo_andABadBaudIsRefused() async throws {
        let reader = try ScaleReader(device: "/dev/waybill-no-such-scale", scaleProtocol: .nci, logger: Self.logger)
        reader.start()
        defer { reader.stop() }
        let missing = try await reader.waitFor("the missing device") { $0.problem?.contains("cannot open") == true }
        #expect(!missing.connected && missing.description.contains("No such file"))
        #expect(throws: ScaleError.self) { try ScaleReader(device: "/dev/ttyS0", scaleProtocol: .nci, baud: 9601, logger: Self.logger) }
    }
}

extension ScaleReader {
    /// Waits for a state that satisfies `condition` (hearing every change, not polling), or fails
    /// after `timeout` naming `what`.
    func waitFor(_ what: String, timeout: Duration = .seconds(15), _ condition: @escaping @Sendable (ScaleStatus) -> Bool) async throws
        -> ScaleStatus
    {
        let (changes, continuation) = AsyncStream.makeStream(of: ScaleStatus.self)
        onChange { continuation.yield($0) }
        if condition(status) { return status }
        return try await withThrowingTaskGroup(of: ScaleStatus?.self) { group in
            group.addTask {
                for await change in changes where condition(change) { return change }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let found = try await group.next() ?? nil else {
                throw HubTestError("the scale never showed \(what); it shows \(status)")
            }
            return found
        }
    }
}
