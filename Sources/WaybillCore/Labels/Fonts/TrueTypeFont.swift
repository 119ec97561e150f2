public import Foundation

/// A TrueType font (`glyf` outlines) read from its file's bytes: the glyph of each character, the
/// glyphs' widths, and the subset of glyphs a document uses, to embed in it (``subset(_:)``).
///
/// Only reads bytes (no file access): whoever has the font file hands its bytes over.
public struct TrueTypeFont: Sendable {
    /// The font's PostScript name (from its `name` table), letters, digits and `-` only.
    public let postScriptName: String
    /// Font units per em: glyph widths and the metrics below are in these units.
    public let unitsPerEm: Int
    public let ascent: Int
    public let descent: Int
    /// xMin, yMin, xMax, yMax of all glyphs.
    public let boundingBox: [Int]
    let file: FontBytes
    let tables: [String: Range<Int>]
    let glyphCount: Int
    let longOffsets: Bool
    let horizontalMetricsCount: Int
    let characterMap: [UInt32: UInt16]

    /// Reads a `.ttf` file's bytes.
    /// - Throws: ``FontError`` when they are not a TrueType font with outlines and a Unicode map.
    public init(bytes: [UInt8]) throws(FontError) {
        try self.init(data: Data(bytes))
    }

    /// Reads a `.ttf` file's bytes; `data` may map the file (it is only read, and kept).
    public init(data: Data) throws(FontError) {
        let bytes = data.startIndex == 0 ? data : Data(data)
        let file = FontBytes(bytes: bytes)
        self.file = file
        let version = try file.u32(0)
        guard version == 0x0001_0000 || version == 0x7472_7565 else {
            throw FontError(version == 0x4F54_544F ? "CFF outlines (an OpenType .otf), not TrueType" : "no TrueType header")
        }
        var tables: [String: Range<Int>] = [:]
        for index in 0..<(try file.u16(4)) {
            let record = 12 + 16 * index
            guard record + 16 <= bytes.count else { throw FontError("the table directory runs past the end of the file") }
            let tag = String(decoding: bytes[record..<record + 4], as: UTF8.self)
            let offset = try file.u32(record + 8)
            let length = try file.u32(record + 12)
            guard offset + length <= bytes.count else { throw FontError("table \(tag) runs past the end of the file") }
            tables[tag] = offset..<offset + length
        }
        for required in ["head", "hhea", "hmtx", "maxp", "loca", "glyf", "cmap"] where tables[required] == nil {
            throw FontError("it has no \(required) table")
        }
        // Long enough for every field read or rewritten (the subsetter copies these tables and edits them).
        for (tag, least) in [("head", 54), ("hhea", 36), ("maxp", 6)] where tables[tag]!.count < least {
            throw FontError("its \(tag) table is too short")
        }
        self.tables = tables
        let head = tables["head"]!.lowerBound
        unitsPerEm = try file.u16(head + 18)
        guard unitsPerEm > 0 else { throw FontError("its units per em are 0") }
        boundingBox = [try file.i16(head + 36), try file.i16(head + 38), try file.i16(head + 40), try file.i16(head + 42)]
        longOffsets = try file.i16(head + 50) == 1
        let hhea = tables["hhea"]!.lowerBound
        ascent = try file.i16(hhea + 4)
        descent = try file.i16(hhea + 6)
        horizontalMetricsCount = try file.u16(hhea + 34)
        glyphCount = try file.u16(tables["maxp"]!.lowerBound + 4)
        guard horizontalMetricsCount > 0, horizontalMetricsCount <= glyphCount else { throw FontError("its metrics count is wrong") }
        guard tables["hmtx"]!.count >= 4 * horizontalMetricsCount + 2 * (glyphCount - horizontalMetricsCount),
            tables["loca"]!.count >= (glyphCount + 1) * (longOffsets ? 4 : 2)
        else { throw FontError("its hmtx or loca table is shorter than its glyph count") }
        characterMap = try Self.characterMap(file, tables["cmap"]!)
        postScriptName = Self.postScriptName(file, tables["name"]) ?? "Font"
    }

    /// The glyph that shows `scalar`; nil when the font has none.
    public func glyph(for scalar: Unicode.Scalar) -> UInt16? {
        characterMap[scalar.value]
    }

    /// The advance width of `glyph`, in font units.
    public func advance(of glyph: UInt16) -> Int {
        let index = min(Int(glyph), horizontalMetricsCount - 1)
        return (try? file.u16(tables["hmtx"]!.lowerBound + 4 * index)) ?? 0
    }

    /// The bytes of `glyph`'s outline in `glyf` (empty for a glyph without one).
    func outline(_ glyph: Int) throws(FontError) -> Data {
        let loca = tables["loca"]!.lowerBound
        let (start, end) =
            longOffsets
            ? (try file.u32(loca + 4 * glyph), try file.u32(loca + 4 * glyph + 4))
            : (2 * (try file.u16(loca + 2 * glyph)), 2 * (try file.u16(loca + 2 * glyph + 2)))
        let glyf = tables["glyf"]!
        guard start <= end, glyf.lowerBound + end <= glyf.upperBound else { throw FontError("glyph \(glyph) lies outside its table") }
        return file.bytes[(glyf.lowerBound + start)..<(glyf.lowerBound + end)]
    }

    /// The most characters a Unicode map may name: every code point once (a malformed map with
    /// overlapping ranges would otherwise take the agent minutes to read).
    static let mostMappedCharacters = 0x11_0000

    /// The Unicode map: the best of the font's `cmap` subtables (format 12, else format 4).
    private static func characterMap(_ file: FontBytes, _ cmap: Range<Int>) throws(FontError) -> [UInt32: UInt16] {
        var budget = mostMappedCharacters
        func spend(_ count: Int) throws(FontError) {
            budget -= count
            guard budget >= 0 else { throw FontError("its cmap names more characters than Unicode has") }
        }
        var format4: Int?
        var format12: Int?
        for index in 0..<(try file.u16(cmap.lowerBound + 2)) {
            let record = cmap.lowerBound + 4 + 8 * index
            let (platform, encoding) = (try file.u16(record), try file.u16(record + 2))
            let subtable = cmap.lowerBound + (try file.u32(record + 4))
            guard platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10)) else { continue }
            switch try file.u16(subtable) {
            case 4: format4 = format4 ?? subtable
            case 12: format12 = format12 ?? subtable
            default: continue
            }
        }
        var map: [UInt32: UInt16] = [:]
        if let table = format12 {
            for group in 0..<(try file.u32(table + 12)) {
                let record = table + 16 + 12 * group
                let (first, last, glyph) = (try file.u32(record), try file.u32(record + 4), try file.u32(record + 8))
                guard first <= last, last <= 0x10_FFFF else { throw FontError("a cmap group is malformed") }
                try spend(last - first + 1)
                for code in first...last where glyph + code - first <= 0xFFFF {
                    map[UInt32(code)] = UInt16(glyph + code - first)
                }
            }
        } else if let table = format4 {
            let segments = (try file.u16(table + 6)) / 2
            let ends = table + 14
            let starts = ends + 2 * segments + 2
            let deltas = starts + 2 * segments
            let rangeOffsets = deltas + 2 * segments
            for segment in 0..<segments {
                let (first, last) = (try file.u16(starts + 2 * segment), try file.u16(ends + 2 * segment))
                let delta = try file.u16(deltas + 2 * segment)
                let rangeOffset = try file.u16(rangeOffsets + 2 * segment)
                guard first <= last else { continue }
                try spend(last - first + 1)
                for code in first...last where code != 0xFFFF {
                    var glyph: Int
                    if rangeOffset == 0 {
                        glyph = (code + delta) & 0xFFFF
                    } else {
                        glyph = try file.u16(rangeOffsets + 2 * segment + rangeOffset + 2 * (code - first))
                        if glyph != 0 { glyph = (glyph + delta) & 0xFFFF }
                    }
                    if glyph != 0 { map[UInt32(code)] = UInt16(glyph) }
                }
            }
        } else {
            throw FontError("it has no Unicode cmap (format 4 or 12)")
        }
        return map.filter { $0.value != 0 }
    }

    /// The PostScript name (name id 6), reduced to letters, digits and `-`.
    private static func postScriptName(_ file: FontBytes, _ name: Range<Int>?) -> String? {
        guard let name, let count = try? file.u16(name.lowerBound + 2), let storage = try? file.u16(name.lowerBound + 4) else { return nil }
        for index in 0..<count {
            let record = name.lowerBound + 6 + 12 * index
            guard let platform = try? file.u16(record), let id = try? file.u16(record + 6), id == 6,
                let length = try? file.u16(record + 8), let offset = try? file.u16(record + 10)
            else { continue }
            let start = name.lowerBound + storage + offset
            guard start + length <= file.bytes.count else { continue }
            let raw = file.bytes[start..<start + length]
            // Windows and Unicode names are UTF-16BE; Macintosh ones one byte a character.
            let bytes = platform == 1 ? Array(raw) : stride(from: raw.startIndex + 1, to: raw.endIndex, by: 2).map { raw[$0] }
            let text = String(
                decoding: bytes.filter { $0 == 0x2D || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) },
                as: UTF8.self
            )
            if !text.isEmpty { return text }
        }
        return nil
    }
}
