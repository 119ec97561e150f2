/// The fonts a ``PDFDocument`` embeds for its text: a Unicode TrueType font and its bold face (for
/// example DejaVu Sans, which Debian ships as `fonts-dejavu-core`). Without them a document falls
/// back to the standard Helvetica, which shows Latin-1 only.
public struct PDFFonts: Sendable {
    public let regular: TrueTypeFont
    public let bold: TrueTypeFont

    public init(regular: TrueTypeFont, bold: TrueTypeFont) {
        self.regular = regular
        self.bold = bold
    }
}
