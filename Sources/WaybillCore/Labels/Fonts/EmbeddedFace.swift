/// One face of ``UnicodeFonts`` as a document embeds it: the subset of the glyphs its text uses, a
/// Type 0 font (Identity-H: each character written as its glyph's number in the subset) over a
/// CIDFontType2 with the glyphs' widths, and a ToUnicode map from each glyph back to its character.
///
/// A character the font has no glyph for is shown as `?` (and copied as `?`), never dropped.
struct EmbeddedFace {
    /// Objects after the Type 0 font: the CIDFont, its descriptor, the font file, the ToUnicode map.
    static let objectCount = 4

    let font: TrueTypeFont
    let bold: Bool
    let subset: TrueTypeSubset?
    /// The character each subset glyph stands for.
    let characters: [UInt16: Unicode.Scalar]
    /// `ABCDEF+Name`: a subset's name starts with six letters naming the subset.
    let name: String

    /// The face of `font` for the characters `shown` with it.
    init(font: TrueTypeFont, bold: Bool, shown: [Unicode.Scalar]) {
        self.font = font
        self.bold = bold
        var used: [UInt16: Unicode.Scalar] = [:]
        for scalar in shown {
            let (glyph, character) = Self.glyph(font, scalar)
            if used[glyph] == nil { used[glyph] = character }
        }
        let subset = try? font.subset(used.keys)
        self.subset = subset
        var characters: [UInt16: Unicode.Scalar] = [:]
        for (glyph, scalar) in used {
            if let renumbered = subset?.glyphs[glyph] { characters[renumbered] = scalar }
        }
        self.characters = characters
        // Named after the glyphs it holds, so the same text gives the same file.
        var hash: UInt32 = 2_166_136_261
        for glyph in characters.keys.sorted() {
            hash = (hash ^ UInt32(glyph)) &* 16_777_619
        }
        let tag = (0..<6).map { Character(Unicode.Scalar(UInt8(65 + (hash >> (5 * UInt32($0))) % 26))) }
        name = String(tag) + "+" + font.postScriptName
    }

    /// The glyph that shows `scalar` and the character it shows: `?` when the font has none.
    private static func glyph(_ font: TrueTypeFont, _ scalar: Unicode.Scalar) -> (UInt16, Unicode.Scalar) {
        if let glyph = font.glyph(for: scalar) { return (glyph, scalar) }
        return (font.glyph(for: "?") ?? 0, "?")
    }

    /// `scalars` as the hex digits of their glyphs' numbers in the subset (four per character).
    func hex(_ scalars: [Unicode.Scalar]) -> String {
        var digits = ""
        for scalar in scalars {
            let glyph = subset?.glyphs[Self.glyph(font, scalar).0] ?? 0
            digits += Self.hex4(Int(glyph))
        }
        return digits
    }

    /// The Type 0 font object, whose descendant and ToUnicode map start at object `firstObject`.
    func type0(firstObject: Int) -> [UInt8] {
        Array(
            ("<< /Type /Font /Subtype /Type0 /BaseFont /\(name) /Encoding /Identity-H "
                + "/DescendantFonts [\(firstObject) 0 R] /ToUnicode \(firstObject + 3) 0 R >>").utf8
        )
    }

    /// The CIDFont, its descriptor, the font file and the ToUnicode map, numbered from `firstObject`.
    func objects(firstObject: Int) -> [[UInt8]] {
        let scale = 1000.0 / Double(font.unitsPerEm)
        func units(_ value: Int) -> Int { Int((Double(value) * scale).rounded()) }
        let widths = (subset?.advances ?? [0]).map { "\(units($0))" }.joined(separator: " ")
        let box = font.boundingBox.map { "\(units($0))" }.joined(separator: " ")
        let file = subset?.bytes ?? []
        return [
            Array(
                ("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /\(name) "
                    + "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                    + "/FontDescriptor \(firstObject + 1) 0 R /W [0 [\(widths)]] /CIDToGIDMap /Identity >>").utf8
            ),
            Array(
                ("<< /Type /FontDescriptor /FontName /\(name) /Flags 32 /FontBBox [\(box)] /ItalicAngle 0 "
                    + "/Ascent \(units(font.ascent)) /Descent \(units(font.descent)) /CapHeight \(units(font.ascent)) "
                    + "/StemV \(bold ? 140 : 80) /FontFile2 \(firstObject + 2) 0 R >>").utf8
            ),
            PDFStream.object(file, extra: " /Length1 \(file.count)"),
            PDFStream.object(Array(toUnicode().utf8)),
        ]
    }

    /// The CMap from each glyph of the subset to its characters (UTF-16BE), in blocks of 100.
    private func toUnicode() -> String {
        var map = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        let entries = characters.sorted { $0.key < $1.key }
        for start in stride(from: 0, to: entries.count, by: 100) {
            let block = entries[start..<min(start + 100, entries.count)]
            map += "\(block.count) beginbfchar\n"
            for (glyph, scalar) in block {
                // A joined Arabic form copies as the letters it stands for.
                let text = String(String.UnicodeScalarView(ArabicShaping.source(of: scalar)))
                let utf16 = text.utf16.map { Self.hex4(Int($0)) }.joined()
                map += "<\(Self.hex4(Int(glyph)))> <\(utf16)>\n"
            }
            map += "endbfchar\n"
        }
        map += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
        return map
    }

    private static func hex4(_ value: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        return String((0..<4).map { digits[(value >> (12 - 4 * $0)) & 0xF] })
    }
}
