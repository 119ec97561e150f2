import Foundation

/// The one JSON style of every `--json` output, status file and diagnostics bundle: keys as each
/// type names them (snake_case, through its `CodingKeys`), sorted; ISO-8601 dates; slashes plain.
enum CommandJSON {
    /// `value` as JSON text on one line (or indented, `pretty`).
    static func text(_ value: some Encodable, pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Prints `value` as JSON on one line.
    static func print(_ value: some Encodable) throws {
        Swift.print(try text(value))
    }

    /// Prints a JSON object built from plain values (dictionaries, arrays, strings, numbers) on one line.
    static func print(object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}
