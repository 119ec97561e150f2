import Testing
import WaybillCore

/// The scale protocols' frames as the scales send them: NCI, MT-SICS and HID POS reports, cut at
/// any byte, in every unit, stable or not, overloaded, faulting, or not the protocol at all.
struct ScaleDecoderTests {
    static func feed(_ scaleProtocol: ScaleProtocol, _ bytes: [UInt8], chunk: Int = 1) -> [ScaleReading] {
        var decoder = ScaleDecoder(scaleProtocol)
        var readings: [ScaleReading] = []
        var start = 0
        while start < bytes.count {
            readings += decoder.feed(bytes[start..<min(bytes.count, start + chunk)])
            start += chunk
        }
        return readings
    }

    static func nci(_ weight: String, _ status: String) -> [UInt8] { Array("\n\(weight)\r\n\(status)\r".utf8) + [0x03] }

    @Test func nci_stableMotionOverloadUnderloadAndFaults_inEveryUnit_cutAtAnyByte() throws {
        for chunk in [1, 3, 64] {
            let readings = Self.feed(
                .nci,
                Self.nci("  12.50lb", "00") + Self.nci("   1.00kg", "10") + Self.nci("  16.0oz", "00") + Self.nci("^^^^^^", "02")
                    + Self.nci("______", "01") + Self.nci("   0.00lb", "40") + Self.nci("   0.00lb", "08"),
                chunk: chunk
            )
            try #require(readings.count == 7, "chunk \(chunk): \(readings)")
            #expect(readings[0] == ScaleReading(state: .stable, weightLb: 12.5))
            #expect(readings[1].state == .motion && readings[1].stableWeightLb == nil)
            #expect(abs((readings[1].weightLb ?? 0) - 2.2046) < 0.001)
            #expect(readings[2].stableWeightLb == 1.0)
            #expect(readings[3] == ScaleReading(state: .overload, weightLb: nil))
            #expect(readings[4] == ScaleReading(state: .underload, weightLb: nil))
            if case .fault = readings[5].state {} else { Issue.record("a RAM error is a fault: \(readings[5])") }
            if case .fault = readings[6].state {} else { Issue.record("a calibration error is a fault: \(readings[6])") }
        }
    }

    @Test func nci_aRefusedCommand_isAFault() {
        let readings = Self.feed(.nci, Array("\r?\n".utf8))
        #expect(readings.count == 1 && readings[0].stableWeightLb == nil)
    }

    @Test func mtSICS_stableDynamicOverloadBusyAndErrors() throws {
        let lines = ["S S      2.000 kg", "S D      1.999 kg", "SI S     907.18 g", "S +", "S -", "S I", "ES", "Z A", "S S     3.25 lb"]
        let readings = Self.feed(.mtSICS, Array(lines.map { $0 + "\r\n" }.joined().utf8), chunk: 5)
        try #require(readings.count == 8, "the zeroing's acknowledgement carries no reading: \(readings)")
        #expect(abs((readings[0].stableWeightLb ?? 0) - 4.409) < 0.001)
        #expect(readings[1].state == .motion)
        #expect(abs((readings[2].stableWeightLb ?? 0) - 2.0) < 0.001)
        #expect(readings[3].state == .overload && readings[4].state == .underload)
        for reading in readings[5...6] {
            if case .fault = reading.state {} else { Issue.record("not a fault: \(reading)") }
        }
        #expect(readings[7].stableWeightLb == 3.25)
    }

    @Test func hidPOS_dymoReports_inGramsAndOunces_withSignedExponents() throws {
        let reports: [[UInt8]] = [
            [3, 4, 2, 0, 0xE8, 0x03],  // 1000 g stable
            [3, 4, 11, 0xFF, 0xA0, 0x00],  // 160 × 10⁻¹ oz = 16 oz stable
            [3, 3, 11, 0xFF, 0x10, 0x00],  // in motion
            [3, 2, 11, 0xFF, 0x00, 0x00],  // stable at zero
            [3, 6, 11, 0xFF, 0x00, 0x00],  // over weight
            [3, 5, 11, 0xFF, 0x00, 0x00],  // under zero
            [3, 8, 11, 0xFF, 0x00, 0x00],  // needs zeroing
            [3, 4, 99, 0x00, 0x01, 0x00],  // an unknown unit
        ]
        // A stray byte before the first report is skipped.
        let readings = Self.feed(.hidPOS, [0x00] + reports.flatMap { $0 }, chunk: 4)
        try #require(readings.count == 8, "\(readings)")
        #expect(abs((readings[0].stableWeightLb ?? 0) - 2.2046) < 0.001)
        #expect(readings[1].stableWeightLb == 1.0)
        #expect(readings[2].state == .motion && readings[3].stableWeightLb == 0)
        #expect(readings[4].state == .overload && readings[5].state == .underload)
        for reading in [readings[6], readings[7]] {
            if case .fault = reading.state {} else { Issue.record("not a fault: \(reading)") }
        }
    }

    @Test func bytesOfAnotherProtocol_endInAFaultThatSaysWhatToCheck_notInAGrowingBuffer() {
        let noise = [UInt8](repeating: UInt8(ascii: "x"), count: 300)
        let readings = Self.feed(.nci, noise, chunk: 50)
        #expect(!readings.isEmpty && readings.allSatisfy { $0.description.contains("scale.protocol") })
    }

    @Test func readings_sayWhatThePackerSees() {
        #expect(ScaleReading(state: .stable, weightLb: 2.449).description == "2.45 lb (stable)")
        #expect(ScaleReading(state: .motion, weightLb: 1).description == "1.00 lb, settling…")
        #expect(ScaleReading(state: .overload, weightLb: nil).description.hasPrefix("over capacity"))
    }
}
