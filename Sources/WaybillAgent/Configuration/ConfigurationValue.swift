import Foundation
import Logging
import WaybillCore

/// Parsers for configuration values; each returns `nil` for text that does not fit its kind.
enum ConfigurationValue {
    /// Parses `500ms`, `5s`, `2m`, `1h` or a bare number of seconds. Zero and negative durations are refused.
    static func duration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), value > 0, value.isFinite else { return nil }
            return .milliseconds(Int64((value * unit.seconds * 1000).rounded()))
        }
        guard let value = Double(trimmed), value > 0, value.isFinite else { return nil }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    /// Parses an http or https URL with a host; drops a trailing slash. The host is checked as written
    /// (`encodedHost`): decoding it would load ICU's IDNA tables into every agent for nothing.
    static func url(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.encodedHost, !host.isEmpty
        else { return nil }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// Parses `HOST:PORT` (IPv6 hosts in brackets; port 0 lets the system pick one, which the agent
    /// logs) or `off`. Returns `.some(nil)` for off.
    static func listenAddress(_ text: String) -> String?? {
        if text.lowercased() == "off" { return .some(nil) }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port), colon != text.startIndex
        else { return nil }
        return .some(text)
    }

    static func logLevel(_ text: String) -> Logger.Level? {
        Logger.Level(rawValue: text.lowercased())
    }

    /// A number in `range` (a weight in pounds, a percentage).
    static func number(in range: ClosedRange<Double>) -> (String) -> Double? {
        { text in Double(text.trimmingCharacters(in: .whitespaces)).flatMap { range.contains($0) ? $0 : nil } }
    }

    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    /// An email address: `local@domain`, printable ASCII without spaces, brackets or separators.
    static func email(_ text: String) -> String? {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), text.utf8.count <= 254,
            text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"<>(),;:\\\"[]".unicodeScalars.contains($0) })
        else { return nil }
        return text
    }

    /// Email addresses separated by commas (at least one).
    static func emails(_ text: String) -> [String]? {
        let addresses = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let valid = addresses.compactMap(email)
        return !valid.isEmpty && valid.count == addresses.count ? valid : nil
    }

    static func schedule(_ text: String) -> ShiftSchedule? {
        try? ShiftSchedule(parsing: text)
    }

    static func timeZone(_ text: String) -> TimeZone? {
        TimeZone(identifier: text)
    }

    /// `smtp://HOST[:PORT]` or `smtps://HOST[:PORT]`, without a path.
    static func smtpURL(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "smtp" || scheme == "smtps", let host = components.encodedHost, !host.isEmpty,
            components.path.isEmpty || components.path == "/", components.user == nil
        else { return nil }
        return text
    }
}
