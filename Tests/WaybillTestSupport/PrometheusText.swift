import Foundation

/// A small checker of the Prometheus text exposition format (version 0.0.4).
public enum PrometheusText {
    /// Parses every sample into `name{labels}` → value; throws on a line that is neither a sample,
    /// a `# HELP`/`# TYPE` line nor blank, and on a sample whose family has no `# TYPE` line.
    public static func parse(_ text: String) throws -> [String: Double] {
        let sample = try Regex(#"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?\s+(\S+)(\s+-?\d+)?$"#)
        let type = try Regex(#"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$"#)
        var typed = Set<String>()
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# HELP ") { continue }
            if let match = try type.wholeMatch(in: line) {
                typed.insert(String(match.output[1].substring ?? ""))
                continue
            }
            guard let match = try sample.wholeMatch(in: line) else { throw HubTestError("not Prometheus text: \(line)") }
            let name = String(match.output[1].substring ?? "")
            let family = ["_bucket", "_sum", "_count"].reduce(name) { $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 }
            guard typed.contains(name) || typed.contains(family) else { throw HubTestError("sample before its # TYPE line: \(line)") }
            let valueText = String(match.output[3].substring ?? "")
            guard let value = Double(valueText) ?? ["+Inf": .infinity, "-Inf": -.infinity, "NaN": .nan][valueText] else {
                throw HubTestError("not a sample value: \(line)")
            }
            samples[name + String(match.output[2].substring ?? "")] = value
        }
        return samples
    }
}
