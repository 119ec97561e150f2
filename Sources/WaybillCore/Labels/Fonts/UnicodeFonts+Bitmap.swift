extension UnicodeFonts {
    /// The smallest a line is shrunk to fit its width, as a share of its size; what still does not
    /// fit is cut at a whole character.
    static let smallestShrink = 0.6

    /// `lines` drawn black on white, one under the other, each `lineHeight` pixels high and at most
    /// `width` wide: the same faces, fallbacks and right-to-left order as a PDF (see ``runs(_:bold:)``),
    /// for a printer that prints pictures, not these characters (a thermal label's graphic field).
    ///
    /// A line too wide is shrunk (to 60 % at most), then cut at a whole character. Text is drawn as
    /// given: cap and clean it first (``PDFText/visible(_:maxCharacters:marks:)``).
    public func bitmap(lines: [String], lineHeight: Int, width: Int, bold: Bool = false) -> MonochromeBitmap {
        var bitmap = MonochromeBitmap(width: width, height: lineHeight * lines.count)
        let face = faces[0]
        // The regular face's ascent and descent fill the line; every face draws at the same em.
        let em = Double(lineHeight) * Double(face.unitsPerEm) / Double(max(1, face.ascent - face.descent))
        let baseline = Double(face.ascent) * em / Double(face.unitsPerEm)
        for (index, line) in lines.enumerated() {
            let glyphs = runs(line, bold: bold).flatMap { run in
                run.scalars.map { scalar in
                    let font = faces[run.face]
                    return (font: font, glyph: font.glyph(for: scalar) ?? font.glyph(for: "?") ?? 0)
                }
            }
            let natural = glyphs.reduce(0.0) { $0 + Double($1.font.advance(of: $1.glyph)) * em / Double($1.font.unitsPerEm) }
            let shrink = natural > Double(width) ? max(Self.smallestShrink, Double(width) / natural) : 1
            let top = Double(index * lineHeight)
            var pen = 0.0
            for (font, glyph) in glyphs {
                let scale = em * shrink / Double(font.unitsPerEm)
                let advance = Double(font.advance(of: glyph)) * scale
                guard pen + advance <= Double(width) + 0.5 else { break }
                if let outline = try? font.outline(of: glyph, segments: em * shrink > 48 ? 8 : 4) {
                    let origin = pen
                    bitmap.fill(
                        outline.contours.map { contour in
                            contour.map { (x: origin + $0.x * scale, y: top + baseline - $0.y * scale) }
                        }
                    )
                }
                pen += advance
            }
        }
        return bitmap
    }
}
