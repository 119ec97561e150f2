/// The wire protocols of the shipping scales a bench may have (`scale.protocol`).
public enum ScaleProtocol: String, Sendable, CaseIterable {
    /// Avery Weigh-Tronix / Brecknell NCI: `W<CR>` asks; `<LF>weight unit<CR><LF>status<CR><ETX>` answers.
    case nci
    /// Mettler Toledo MT-SICS: `SI<CR><LF>` asks; `S S     1.23 kg<CR><LF>` answers.
    case mtSICS = "mt-sics"
    /// A USB HID point-of-sale scale (hidraw): 6-byte reports, sent by the scale on its own.
    case hidPOS = "hid-pos"

    /// The bytes that ask the scale for a reading, or nil when it reports by itself.
    public var request: [UInt8]? {
        switch self {
        case .nci: Array("W\r".utf8)
        case .mtSICS: Array("SI\r\n".utf8)
        case .hidPOS: nil
        }
    }

    /// Whether it speaks over a serial line (termios settings apply).
    public var isSerial: Bool { self != .hidPOS }
}

/// Turns the bytes a scale sends into readings, frame by frame, whatever way the reads cut them.
///
/// Bytes that never form a frame (the wrong protocol or baud rate) end in a fault reading that says
/// so instead of growing without bound.
public struct ScaleDecoder: Sendable {
    public let scaleProtocol: ScaleProtocol
    private var buffer: [UInt8] = []
    /// The longest run of bytes without a frame before the decoder gives up on it.
    static let maximumFrame = 128

    public init(_ scaleProtocol: ScaleProtocol) {
        self.scaleProtocol = scaleProtocol
    }

    /// Adds bytes read from the scale; returns the readings of every frame they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ScaleReading] {
        buffer.append(contentsOf: bytes)
        var readings: [ScaleReading] = []
        while let reading = nextFrame() { readings.append(reading) }
        if buffer.count > Self.maximumFrame {
            buffer.removeAll()
            readings.append(
                ScaleReading(
                    state: .fault("the scale sends data that is not \(scaleProtocol.rawValue); check scale.protocol and scale.baud"),
                    weightLb: nil
                )
            )
        }
        return readings
    }

    private mutating func nextFrame() -> ScaleReading? {
        switch scaleProtocol {
        case .nci:
            if let end = buffer.firstIndex(of: 0x03) {
                defer { buffer.removeSubrange(...end) }
                return Self.nci(buffer[..<end])
            }
            // An unknown command is answered `<CR>?<LF>`, without an end-of-text byte.
            if let mark = buffer.firstIndex(of: UInt8(ascii: "?")), buffer[mark...].contains(0x0A) {
                buffer.removeSubrange(...buffer[mark...].firstIndex(of: 0x0A)!)
                return ScaleReading(state: .fault("the scale refused the weight request; set it to the NCI protocol"), weightLb: nil)
            }
            return nil
        case .mtSICS:
            while let end = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...end)
                if let reading = Self.mtSICS(line) { return reading }
            }
            return nil
        case .hidPOS:
            while let first = buffer.first, first != HIDPOS.reportID { buffer.removeFirst() }
            guard buffer.count >= 6 else { return nil }
            defer { buffer.removeFirst(6) }
            return Self.hidPOS(Array(buffer[0..<6]))
        }
    }

    /// An NCI frame without its end-of-text byte: a weight line and a status line, or a status line.
    static func nci(_ frame: ArraySlice<UInt8>) -> ScaleReading {
        let lines = frame.split { $0 == 0x0A || $0 == 0x0D }.map { String(decoding: $0, as: UTF8.self) }
        guard let status = lines.last?.utf8.map({ $0 & 0x0F }), status.count >= 2 else {
            return ScaleReading(state: .fault("the scale's answer has no status bytes"), weightLb: nil)
        }
        let weight = lines.count >= 2 ? Self.weight(lines[lines.count - 2]) : nil
        let (first, second) = (status[0], status[1])
        return ScaleReading(state: nciState(first: first, second: second), weightLb: weight)
    }

    /// The state NCI's two status bytes give (low nibbles): faults first, then capacity, then motion.
    static func nciState(first: UInt8, second: UInt8) -> ScaleReading.State {
        if first & 0b1100 != 0 { return .fault("memory error (RAM or EEPROM): service the scale") }
        if second & 0b1100 != 0 { return .fault("calibration or program error: service the scale") }
        if second & 0b10 != 0 { return .overload }
        if second & 0b01 != 0 { return .underload }
        if first & 0b01 != 0 { return .motion }
        return .stable
    }

    /// An MT-SICS answer line; nil for answers that carry no reading (a zeroing's acknowledgement).
    static func mtSICS(_ line: String) -> ScaleReading? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\r" }).map(String.init)
        guard let command = fields.first else { return nil }
        switch (command, fields.count > 1 ? fields[1] : "") {
        case ("S", "S"), ("SI", "S"):
            return ScaleReading(state: .stable, weightLb: Self.weight(fields.dropFirst(2).joined()))
        case ("S", "D"), ("SI", "D"):
            return ScaleReading(state: .motion, weightLb: Self.weight(fields.dropFirst(2).joined()))
        case ("S", "+"), ("SI", "+"): return ScaleReading(state: .overload, weightLb: nil)
        case ("S", "-"), ("SI", "-"): return ScaleReading(state: .underload, weightLb: nil)
        case ("S", "I"), ("SI", "I"): return ScaleReading(state: .fault("the balance is busy (zeroing or adjusting); wait"), weightLb: nil)
        case ("ES", _), ("ET", _), ("EL", _):
            return ScaleReading(state: .fault("the balance refused the request (\(command)); set it to MT-SICS"), weightLb: nil)
        default: return nil
        }
    }

    /// The values of a USB HID point-of-sale scale's report (report id 3, as Dymo and Stamps.com send).
    enum HIDPOS {
        static let reportID: UInt8 = 3
        /// HID POS weight units by code.
        static let units: [UInt8: String] = [2: "g", 3: "kg", 11: "oz", 12: "lb"]
    }

    /// A HID POS report: id, status, unit, signed decimal exponent, weight (little endian).
    static func hidPOS(_ report: [UInt8]) -> ScaleReading {
        let raw = Double(UInt16(report[4]) | UInt16(report[5]) << 8)
        let exponent = Int(Int8(bitPattern: report[3]))
        var scale = 1.0
        for _ in 0..<abs(exponent) { scale *= 10 }
        let weight: Double? = HIDPOS.units[report[2]].flatMap(ScaleReading.poundsPer(unit:)).map {
            (exponent < 0 ? raw / scale : raw * scale) * $0
        }
        switch report[1] {
        case 2: return ScaleReading(state: .stable, weightLb: 0)
        case 4:
            guard let weight else { return ScaleReading(state: .fault("the scale reports an unknown unit (\(report[2]))"), weightLb: nil) }
            return ScaleReading(state: .stable, weightLb: weight)
        case 3: return ScaleReading(state: .motion, weightLb: weight)
        case 5: return ScaleReading(state: .underload, weightLb: nil)
        case 6: return ScaleReading(state: .overload, weightLb: nil)
        case 7: return ScaleReading(state: .fault("the scale needs calibrating"), weightLb: nil)
        case 8: return ScaleReading(state: .fault("the scale needs zeroing: empty the platter and press zero"), weightLb: nil)
        default: return ScaleReading(state: .fault("the scale reports a fault (status \(report[1]))"), weightLb: nil)
        }
    }

    /// A printed weight such as `  12.34lb`, `-0.5 kg` or `1.23 g`, in pounds; nil when it is not one.
    static func weight(_ text: String) -> Double? {
        let trimmed = text.trimmingPrefix(while: { $0 == " " })
        let number = trimmed.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }
        let unit = trimmed.dropFirst(number.count).filter { $0 != " " }
        guard let value = Double(number), value.isFinite, let perUnit = ScaleReading.poundsPer(unit: String(unit)) else { return nil }
        return value * perUnit
    }
}
