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
        visible(text, maxCharacters: maxCharacters, marks: false).unicodeScalars.map(escape).joined()
    }

    /// What of `text` a document shows: its first `maxCharacters` characters without control
    /// characters, and `...` when it was cut. With `marks`, each character keeps its combining
    /// marks and vowel signs (a font that has them shows them); without, only its first scalar
    /// (Helvetica has none of them).
    public static func visible(_ text: String, maxCharacters: Int = 80, marks: Bool = true) -> String {
        var result = String.UnicodeScalarView()
        var count = 0
        for character in text {
            let scalars = character.unicodeScalars.filter { !isControl($0) }
            guard let first = scalars.first else { continue }
            if count == maxCharacters {
                result.append(contentsOf: "...".unicodeScalars)
                break
            }
            if marks { result.append(contentsOf: scalars) } else { result.append(first) }
            count += 1
        }
        return String(result)
    }

    /// The characters of one line in the order they are drawn, left to right: runs of
    /// right-to-left script (Hebrew, Arabic, …) reversed, numbers inside them kept in their own
    /// order, spaces and punctuation between two right-to-left characters taken into their run.
    /// A line whose first letter is right-to-left reads from the right. Enough for names and
    /// addresses (resolved levels and rule L2 of the Unicode bidirectional algorithm, simplified).
    public static func visualOrder(_ text: String) -> [Unicode.Scalar] {
        enum Kind { case left, right, number, neutral }
        let scalars = Array(text.unicodeScalars)
        let kinds: [Kind] = scalars.map { scalar in
            switch scalar.value {
            case 0x30...0x39, 0x660...0x669, 0x6F0...0x6F9: .number
            case 0x590...0x8FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF: .right
            default: scalar.properties.isAlphabetic ? .left : .neutral
            }
        }
        guard kinds.contains(.right) else { return scalars }
        let base = kinds.first { $0 == .left || $0 == .right } == .right ? 1 : 0
        // Numbers read as their neighbours for the spaces around them (a street number in Hebrew).
        func strong(_ index: Int, step: Int) -> Kind? {
            var index = index + step
            while kinds.indices.contains(index) {
                if kinds[index] == .left || kinds[index] == .right { return kinds[index] }
                if kinds[index] == .number { return base == 1 ? .right : nil }
                index += step
            }
            return nil
        }
        var levels = kinds.indices.map { index -> Int in
            switch kinds[index] {
            case .left: return base == 1 ? 2 : 0
            case .right: return 1
            case .number: return base == 1 || strong(index, step: -1) == .right ? 2 : 0
            case .neutral:
                let (before, after) = (strong(index, step: -1), strong(index, step: 1))
                if before == .right, after == .right { return 1 }
                if base == 1, before == .left, after == .left { return 2 }
                return base
            }
        }
        var order = Array(scalars.indices)
        for level in stride(from: levels.max() ?? 0, through: 1, by: -1) {
            var start = 0
            while start < order.count {
                guard levels[start] >= level else {
                    start += 1
                    continue
                }
                var end = start
                while end < order.count, levels[end] >= level { end += 1 }
                order[start..<end].reverse()
                levels[start..<end].reverse()
                start = end
            }
        }
        return order.map { scalars[$0] }
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
