/// The fonts a ``PDFDocument`` embeds for its text: a Unicode TrueType font and its bold face (for
/// example DejaVu Sans, which Debian ships as `fonts-dejavu-core`), and fonts for the characters
/// they lack (CJK, Devanagari, …), tried in order. Without them a document falls back to the
/// standard Helvetica, which shows Latin-1 only.
public struct UnicodeFonts: Sendable {
    public let regular: TrueTypeFont
    public let bold: TrueTypeFont
    /// For characters neither face has, in regular and bold text alike.
    public let fallbacks: [TrueTypeFont]

    public init(regular: TrueTypeFont, bold: TrueTypeFont, fallbacks: [TrueTypeFont] = []) {
        self.regular = regular
        self.bold = bold
        self.fallbacks = fallbacks
    }

    /// Every face, as ``PDFDocument`` numbers them: regular, bold, then the fallbacks.
    var faces: [TrueTypeFont] { [regular, bold] + fallbacks }

    /// `text` with its Arabic letters joined (``ArabicShaping``) and in the order it is drawn (see
    /// ``PDFText/visualOrder(_:)``), cut into runs each shown by one face: the text's own face when
    /// it has the character, else the first fallback that has it, else the text's own face (which
    /// shows `?`).
    func runs(_ text: String, bold: Bool) -> [(face: Int, scalars: [Unicode.Scalar])] {
        let own = bold ? 1 : 0
        var runs: [(face: Int, scalars: [Unicode.Scalar])] = []
        let shaped = ArabicShaping.shape(text) { form in self.faces.contains { $0.glyph(for: form) != nil } }
        for scalar in PDFText.visualOrder(shaped) {
            var face = own
            if faces[own].glyph(for: scalar) == nil, let index = fallbacks.firstIndex(where: { $0.glyph(for: scalar) != nil }) {
                face = 2 + index
            }
            // Spaces stay in the run they are in: a fallback font's space is as good as any.
            if scalar == " ", let last = runs.last, faces[last.face].glyph(for: scalar) != nil { face = last.face }
            if runs.last?.face == face {
                runs[runs.count - 1].scalars.append(scalar)
            } else {
                runs.append((face, [scalar]))
            }
        }
        return runs
    }
}
