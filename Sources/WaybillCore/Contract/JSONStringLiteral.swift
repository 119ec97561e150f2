/// JSON string literals for code that writes JSON text by hand on hot paths (outbox payloads,
/// pre-rendered feed changes), where a full encoder would cost too much.
public enum JSONStringLiteral {
    /// `text` as a quoted JSON string: quotes, backslashes and control characters escaped.
    public static func quote(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `text` quoted, or `null` for nil.
    public static func quote(_ text: String?) -> String {
        text.map { quote($0) } ?? "null"
    }
}
