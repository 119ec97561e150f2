import Foundation

/// Removes secrets from text that leaves the station (the diagnostics bundle).
///
/// Three rules: a YAML or `KEY=VALUE` line whose key names a secret (`secret`, `token`, `password`,
/// `passwd`, `api_key`, except `secret_file`, which holds a path) keeps its key and loses its value;
/// credentials in URLs (`scheme://user:pass@host`) are replaced; and any of the given literal
/// secrets (the station secret itself) is replaced wherever it appears.
struct Redaction: Sendable {
    static let marker = "<redacted>"
    /// Literal secrets to replace anywhere (empty strings are ignored).
    var secrets: [String] = []

    func apply(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { redactLine(String($0)) }
        for secret in secrets where secret.count >= 4 {
            lines = lines.map { $0.replacingOccurrences(of: secret, with: Self.marker) }
        }
        return lines.joined(separator: "\n")
    }

    private func redactLine(_ line: String) -> String {
        var line = line.replacing(#/([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s:]+:[^/@\s]*@/#) { "\($0.output.1)\(Self.marker)@" }
        if let match = line.firstMatch(of: #/^(\s*-?\s*"?([A-Za-z0-9_.-]+)"?\s*[:=]\s*)(\S.*)$/#) {
            let key = match.output.2.lowercased()
            let sensitive = ["secret", "token", "password", "passwd", "api_key", "apikey"].contains { key.contains($0) }
            if sensitive, !key.hasSuffix("secret_file") {
                line = String(match.output.1) + Self.marker
            }
        }
        return line
    }
}
