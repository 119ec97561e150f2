/// What a carrier's label document must look like to be printed: a station checks it before it
/// keeps the label, so a label that could never print is refused with a reason instead of waiting
/// silently among the labels to print.
public enum CarrierLabelDocument {
    /// A ZPL program: text that starts (after whitespace) with `^XA`, or with `~` commands run
    /// before a format (a carrier's logo downloaded with `~DG`, a `~TA` tear-off adjustment) followed
    /// by `^XA`.
    public static func isZPL(_ text: String) -> Bool {
        let program = text.drop(while: \.isWhitespace)
        return program.hasPrefix("^XA") || (program.hasPrefix("~") && program.contains("^XA"))
    }

    /// A PDF: `%PDF-` first and, as PDF readers look for it, `%%EOF` in the last 1024 bytes.
    public static func isPDF(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Array("%PDF-".utf8)) && bytes.suffix(1024).contains(Array("%%EOF".utf8))
    }
}
