import Foundation

/// Big-endian reads and writes of a font file's integers (TrueType stores every number big-endian).
struct FontBytes {
    /// The file's bytes (a font file read with `Data(contentsOf:options: .alwaysMapped)` stays in
    /// the page cache, not in the agent's own memory).
    let bytes: Data

    init(bytes: Data) {
        self.bytes = bytes
    }

    init(bytes: [UInt8]) {
        self.bytes = Data(bytes)
    }

    func u8(_ offset: Int) throws(FontError) -> Int {
        guard offset >= 0, offset < bytes.count else { throw FontError("a table runs past the end of the file") }
        return Int(bytes[bytes.startIndex + offset])
    }

    func u16(_ offset: Int) throws(FontError) -> Int {
        guard offset >= 0, offset + 2 <= bytes.count else { throw FontError("a table runs past the end of the file") }
        return Int(bytes[bytes.startIndex + offset]) << 8 | Int(bytes[bytes.startIndex + offset + 1])
    }

    func i16(_ offset: Int) throws(FontError) -> Int {
        Int(Int16(bitPattern: UInt16(try u16(offset))))
    }

    func u32(_ offset: Int) throws(FontError) -> Int {
        Int(try u16(offset)) << 16 | Int(try u16(offset + 2))
    }

    static func append16(_ value: Int, to output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: value >> 8))
        output.append(UInt8(truncatingIfNeeded: value))
    }

    static func append32(_ value: Int, to output: inout [UInt8]) {
        append16(value >> 16, to: &output)
        append16(value, to: &output)
    }

    static func set16(_ value: Int, at offset: Int, in output: inout [UInt8]) {
        output[offset] = UInt8(truncatingIfNeeded: value >> 8)
        output[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    /// The TrueType checksum of `bytes`: the sum of its big-endian 32-bit words, zero-padded.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var sum: UInt32 = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            var word: UInt32 = 0
            for offset in 0..<4 {
                word <<= 8
                if index + offset < bytes.endIndex { word |= UInt32(bytes[index + offset]) }
            }
            sum &+= word
            index += 4
        }
        return sum
    }
}
