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
    /// order, spaces and punctuation between two right-to-left characters taken into their run,
    /// and each character's marks kept after it. A line whose first letter is right-to-left reads
    /// from the right. Enough for names and addresses: the Unicode bidirectional algorithm's
    /// resolved levels (numbers after right-to-left text count as right-to-left for the spaces
    /// around them) and rules L2 and L3, without explicit embeddings.
    public static func visualOrder(_ text: String) -> [Unicode.Scalar] {
        enum Kind { case left, right, number, neutral }
        let characters = Array(text)
        let kinds: [Kind] = characters.map { character in
            let scalar = character.unicodeScalars.first!
            switch scalar.value {
            case 0x30...0x39, 0x660...0x669, 0x6F0...0x6F9: return .number
            case 0x590...0x8FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF: return .right
            default: return scalar.properties.isAlphabetic ? .left : .neutral
            }
        }
        guard kinds.contains(.right) else { return Array(text.unicodeScalars) }
        let base = kinds.first { $0 == .left || $0 == .right } == .right ? 1 : 0
        // A number reads as the strong text before it (the line's direction when there is none).
        var resolved = kinds
        var previous: Kind = base == 1 ? .right : .left
        for index in kinds.indices {
            switch kinds[index] {
            case .left, .right: previous = kinds[index]
            case .number: resolved[index] = previous
            case .neutral: break
            }
        }
        func strong(_ index: Int, step: Int) -> Kind {
            var index = index + step
            while resolved.indices.contains(index) {
                if resolved[index] != .neutral { return resolved[index] }
                index += step
            }
            return base == 1 ? .right : .left
        }
        var levels = kinds.indices.map { index -> Int in
            switch (kinds[index], resolved[index]) {
            case (.number, _): return base == 1 || resolved[index] == .right ? 2 : 0
            case (.left, _): return base == 1 ? 2 : 0
            case (.right, _): return 1
            default:
                let (before, after) = (strong(index, step: -1), strong(index, step: 1))
                if before == .right, after == .right { return 1 }
                if base == 1, before == .left, after == .left { return 2 }
                return base
            }
        }
        var order = Array(characters.indices)
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
        // Whole characters move: a letter's marks stay after it, where the font draws them over it.
        return order.flatMap { characters[$0].unicodeScalars }
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
