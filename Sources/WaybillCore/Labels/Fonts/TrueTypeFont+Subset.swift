/// A font file holding only some glyphs of a ``TrueTypeFont``, renumbered from 0 in their original
/// order: what a PDF embeds, so a slip carries the glyphs it shows, not the whole font.
public struct TrueTypeSubset: Sendable {
    /// The subset font file (a valid TrueType font; tables a PDF does not need are left out).
    public let bytes: [UInt8]
    /// Each kept glyph's number in the subset, by its number in the font.
    public let glyphs: [UInt16: UInt16]
    /// The kept glyphs' advance widths, in font units, by their number in the subset.
    public let advances: [Int]
}

extension TrueTypeFont {
    /// The subset of this font holding `glyphs`, glyph 0 (`.notdef`) and every glyph a composite
    /// one among them is built from.
    public func subset(_ glyphs: some Sequence<UInt16>) throws(FontError) -> TrueTypeSubset {
        var kept: Set<Int> = [0]
        var pending = glyphs.map(Int.init).filter { $0 < glyphCount }
        while let glyph = pending.popLast() {
            guard kept.insert(glyph).inserted else { continue }
            pending += try components(of: glyph).filter { !kept.contains($0) && $0 < glyphCount }
        }
        let order = kept.sorted()
        var renumbered: [UInt16: UInt16] = [:]
        for (new, old) in order.enumerated() { renumbered[UInt16(old)] = UInt16(new) }

        var glyf: [UInt8] = []
        var loca: [UInt8] = []
        var hmtx: [UInt8] = []
        var advances: [Int] = []
        for old in order {
            FontBytes.append32(glyf.count, to: &loca)
            var outline = Array(try outline(old))
            if outline.count >= 10, try FontBytes(bytes: outline).i16(0) < 0 {
                try renumberComponents(&outline, renumbered)
            }
            glyf += outline
            while glyf.count % 4 != 0 { glyf.append(0) }
            let advance = advance(of: UInt16(old))
            advances.append(advance)
            FontBytes.append16(advance, to: &hmtx)
            FontBytes.append16(try leftSideBearing(of: old), to: &hmtx)
        }
        FontBytes.append32(glyf.count, to: &loca)

        var head = Array(file.bytes[tables["head"]!])
        FontBytes.set16(0, at: 8, in: &head)
        FontBytes.set16(0, at: 10, in: &head)
        FontBytes.set16(1, at: 50, in: &head)  // long loca offsets
        var hhea = Array(file.bytes[tables["hhea"]!])
        FontBytes.set16(order.count, at: 34, in: &hhea)
        var maxp = Array(file.bytes[tables["maxp"]!])
        FontBytes.set16(order.count, at: 4, in: &maxp)
        var out: [(String, [UInt8])] = [
            ("cmap", characterMap(renumbered)), ("glyf", glyf), ("head", head), ("hhea", hhea), ("hmtx", hmtx), ("loca", loca), ("maxp", maxp),
        ]
        // Hinting programs: the glyphs' instructions call them.
        for tag in ["cvt ", "fpgm", "prep"] {
            if let range = tables[tag] { out.append((tag, Array(file.bytes[range]))) }
        }
        return TrueTypeSubset(bytes: Self.file(out), glyphs: renumbered, advances: advances)
    }

    /// A `cmap` table of one Unicode subtable (format 12) mapping the characters of the kept glyphs
    /// to their new numbers: a PDF shows glyphs by number, but a font file without a map confuses
    /// some readers.
    private func characterMap(_ renumbered: [UInt16: UInt16]) -> [UInt8] {
        let entries = characterMap.compactMap { code, glyph in renumbered[glyph].map { (code, $0) } }.sorted { $0.0 < $1.0 }
        var table: [UInt8] = []
        FontBytes.append16(0, to: &table)  // version
        FontBytes.append16(1, to: &table)  // one subtable
        FontBytes.append16(3, to: &table)  // Windows
        FontBytes.append16(10, to: &table)  // full Unicode
        FontBytes.append32(12, to: &table)  // its offset
        FontBytes.append16(12, to: &table)  // format 12
        FontBytes.append16(0, to: &table)
        FontBytes.append32(16 + 12 * entries.count, to: &table)
        FontBytes.append32(0, to: &table)  // language
        FontBytes.append32(entries.count, to: &table)
        for (code, glyph) in entries {
            FontBytes.append32(Int(code), to: &table)
            FontBytes.append32(Int(code), to: &table)
            FontBytes.append32(Int(glyph), to: &table)
        }
        return table
    }

    /// The glyphs a composite glyph is built from (none for a simple glyph).
    private func components(of glyph: Int) throws(FontError) -> [Int] {
        var found: [Int] = []
        try eachComponent(of: Array(try outline(glyph))) { (offset, outline) throws(FontError) in
            found.append(try FontBytes(bytes: outline).u16(offset))
        }
        return found
    }

    /// Rewrites the glyph numbers of a composite outline's components to the subset's.
    private func renumberComponents(_ outline: inout [UInt8], _ renumbered: [UInt16: UInt16]) throws(FontError) {
        var offsets: [Int] = []
        try eachComponent(of: outline) { (offset, _) throws(FontError) in offsets.append(offset) }
        for offset in offsets {
            let old = UInt16(try FontBytes(bytes: outline).u16(offset))
            FontBytes.set16(Int(renumbered[old] ?? 0), at: offset, in: &outline)
        }
    }

    /// Calls `body` with the offset of each component's glyph number in a composite `outline`.
    private func eachComponent(
        of outline: [UInt8],
        _ body: (Int, [UInt8]) throws(FontError) -> Void
    ) throws(FontError) {
        let reader = FontBytes(bytes: outline)
        guard outline.count >= 10, try reader.i16(0) < 0 else { return }
        var offset = 10
        while true {
            let flags = try reader.u16(offset)
            try body(offset + 2, outline)
            offset += 4 + (flags & 0x0001 != 0 ? 4 : 2)
            if flags & 0x0008 != 0 {
                offset += 2
            } else if flags & 0x0040 != 0 {
                offset += 4
            } else if flags & 0x0080 != 0 {
                offset += 8
            }
            guard flags & 0x0020 != 0 else { return }
        }
    }

    private func leftSideBearing(of glyph: Int) throws(FontError) -> Int {
        let hmtx = tables["hmtx"]!.lowerBound
        if glyph < horizontalMetricsCount { return try file.i16(hmtx + 4 * glyph + 2) }
        return try file.i16(hmtx + 4 * horizontalMetricsCount + 2 * (glyph - horizontalMetricsCount))
    }

    /// A font file of `tables`: the table directory, each table 4-byte aligned with its checksum,
    /// and `head`'s checksum adjustment.
    private static func file(_ tables: [(String, [UInt8])]) -> [UInt8] {
        let sorted = tables.sorted { $0.0 < $1.0 }
        var power = 1
        while power * 2 <= sorted.count { power *= 2 }
        var output: [UInt8] = []
        FontBytes.append32(0x0001_0000, to: &output)
        FontBytes.append16(sorted.count, to: &output)
        FontBytes.append16(power * 16, to: &output)
        FontBytes.append16(power.trailingZeroBitCount, to: &output)
        FontBytes.append16(sorted.count * 16 - power * 16, to: &output)
        var offset = 12 + 16 * sorted.count
        var headOffset = 0
        for (tag, bytes) in sorted {
            output += Array(tag.utf8)
            FontBytes.append32(Int(FontBytes.checksum(bytes[...])), to: &output)
            FontBytes.append32(offset, to: &output)
            FontBytes.append32(bytes.count, to: &output)
            if tag == "head" { headOffset = offset }
            offset += (bytes.count + 3) / 4 * 4
        }
        for (_, bytes) in sorted {
            output += bytes
            while output.count % 4 != 0 { output.append(0) }
        }
        let adjustment = 0xB1B0_AFBA &- FontBytes.checksum(output[...])
        FontBytes.set16(Int(adjustment >> 16), at: headOffset + 8, in: &output)
        FontBytes.set16(Int(adjustment & 0xFFFF), at: headOffset + 10, in: &output)
        return output
    }
}
