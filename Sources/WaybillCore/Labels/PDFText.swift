/// Text made safe for a PDF string literal in a Helvetica (`WinAnsiEncoding`) font.
///
/// `(`, `)` and `\` are backslash-escaped, Latin-1 letters become octal escapes, control characters
/// are dropped and everything Helvetica cannot show (CJK, Arabic, emoji, invalid UTF-8 already
/// decoded as U+FFFD) becomes `?`. The result is plain ASCII, so no text can close the string and
/// run PDF operators such as `) Tj ET`.
public enum PDFText {
    /// The escaped content for `(...)`, of at most `maxCharacters` characters of the original
    /// (an ellipsis marks a cut).
    public static func escape(_ text: String, maxCharacters: Int = 80) -> String {
        visible(text, maxCharacters: maxCharacters).unicodeScalars.map(escape).joined()
    }

    /// What of `text` a document shows: the first non-control scalar of each of its first
    /// `maxCharacters` characters (control characters dropped), and `...` when it was cut.
    public static func visible(_ text: String, maxCharacters: Int = 80) -> String {
        var result = String.UnicodeScalarView()
        var count = 0
        for character in text {
            guard let scalar = character.unicodeScalars.first(where: { !isControl($0) }) else { continue }
            if count == maxCharacters {
                result.append(contentsOf: "...".unicodeScalars)
                break
            }
            result.append(scalar)
            count += 1
        }
        return String(result)
    }

    /// Splits `text` into lines of at most `width` characters, at spaces where it can, at most `maxLines` lines.
    public static func wrap(_ text: String, width: Int, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            while word.count > width {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
            if lines.count >= maxLines { break }
        }
        if !current.isEmpty { lines.append(current) }
        return Array(lines.prefix(maxLines))
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x28, 0x29, 0x5C: "\\" + String(scalar)
        case 0x20...0x7E: String(scalar)
        case 0xA0...0xFF: "\\" + octal(scalar.value)
        default: "?"
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func octal(_ value: UInt32) -> String {
        let digits = [value >> 6, (value >> 3) & 7, value & 7]
        return String(digits.map { Character(Unicode.Scalar(UInt8(48 + $0))) })
    }
}
