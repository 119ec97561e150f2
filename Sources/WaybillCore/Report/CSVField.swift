/// A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, and prefixed with
/// `'` when it starts like a spreadsheet formula (`=`, `+`, `-`, `@`), so opening the attachment
/// never runs one.
public enum CSVField {
    public static func escape(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
