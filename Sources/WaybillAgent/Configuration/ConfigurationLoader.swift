import Configuration
public import Foundation
import WaybillCore
import Yams

/// Finds, reads and validates the station configuration.
///
/// Lookup order: `--config PATH`, then `$WAYBILL_CONFIG`, then `./config/waybill.yaml`, then
/// `/etc/waybill/waybill.yaml`. Environment variables (`WAYBILL_` + the key upper-cased with dots
/// as underscores) override the file's values. An unknown key, a value of the wrong type or a
/// missing required key stops loading with a ``ConfigurationError`` naming the file and the key.
public struct ConfigurationLoader: Sendable {
    /// The name of the configuration file in `config/` and `/etc/waybill/`.
    public static let fileName = "waybill.yaml"

    /// The path given with `--config`, if any.
    public var explicitPath: String?
    /// The process environment (injectable for tests).
    public var environment: [String: String]
    /// The folder `./config/` is looked up in.
    public var workingDirectory: String
    /// The system configuration folder.
    public var systemDirectory: String

    public init(
        explicitPath: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath,
        systemDirectory: String = "/etc/waybill"
    ) {
        self.explicitPath = explicitPath
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.systemDirectory = systemDirectory
    }

    /// The configuration file to read, by the lookup order.
    public func locate() throws(ConfigurationError) -> String {
        if let explicitPath {
            guard FileManager.default.fileExists(atPath: explicitPath) else {
                throw ConfigurationError(.fileNotFound, source: explicitPath, "no such configuration file (given with --config)")
            }
            return explicitPath
        }
        if let fromEnvironment = environment["WAYBILL_CONFIG"], !fromEnvironment.isEmpty {
            guard FileManager.default.fileExists(atPath: fromEnvironment) else {
                throw ConfigurationError(.fileNotFound, source: fromEnvironment, "no such configuration file (named by WAYBILL_CONFIG)")
            }
            return fromEnvironment
        }
        let candidates = [workingDirectory + "/config/" + Self.fileName, systemDirectory + "/" + Self.fileName]
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            return found
        }
        throw ConfigurationError(
            .fileNotFound,
            source: candidates.joined(separator: ", "),
            "no configuration file found; pass --config PATH or set WAYBILL_CONFIG"
        )
    }

    /// Locates, reads and validates the configuration.
    public func load() async throws(ConfigurationError) -> StationConfiguration {
        let path = try locate()
        let file = InMemoryProvider(name: path, values: try readFile(at: path))
        try validateEnvironment()
        let overrides = EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "waybill")
        let reader = ConfigReader(providers: [overrides, file])
        var values = ResolvedValues(path: path, environment: environment)
        for key in ConfigurationKey.all {
            let text: String?
            do {
                text = try await reader.fetchString(forKey: ConfigKey(key.name))
            } catch {
                throw values.wrongType(key)
            }
            try values.set(key, text)
        }
        return try values.configuration()
    }

    /// Reads the file and checks its syntax and keys: every leaf must be a known key with a scalar value.
    /// Returns each key's text, as the file provider of swift-configuration would serve it.
    ///
    /// The file is parsed once, with Yams' basic resolver: every value here is read as text, and the
    /// default resolver compiles a dozen `NSRegularExpression`s (ICU's regex engine and its Unicode
    /// sets: 2.7 MB of the idle agent's resident memory) to guess types nothing here asks for.
    private func readFile(at path: String) throws(ConfigurationError) -> [AbsoluteConfigKey: ConfigValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(.unreadable, source: path, "cannot read the file; check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(.malformed, source: path, "the file is not UTF-8 text")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch {
            throw ConfigurationError(.malformed, source: path, "not valid YAML: \(error)")
        }
        guard let root else { return [:] }
        guard case .mapping(let mapping) = root else {
            throw ConfigurationError(.malformed, source: path, "the top level must be a mapping of sections (station:, central:, ...)")
        }
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        try validate(mapping, prefix: "", path: path, into: &values)
        return values
    }

    private func validate(
        _ mapping: Node.Mapping,
        prefix: String,
        path: String,
        into values: inout [AbsoluteConfigKey: ConfigValue]
    ) throws(ConfigurationError) {
        for (keyNode, value) in mapping {
            let name = prefix + (keyNode.string ?? "")
            let location = "\(path):\(keyNode.mark?.line ?? 0)"
            if let key = ConfigurationKey.byName[name] {
                guard case .scalar(let scalar) = value else {
                    throw ConfigurationError(.wrongType, source: location, key: name, "expected \(key.kind.expectation), found a \(value.kindName)")
                }
                values[AbsoluteConfigKey(name.split(separator: ".").map(String.init))] = ConfigValue(.string(scalar.string), isSecret: false)
            } else if prefix.isEmpty, ConfigurationKey.sections.contains(name) {
                if case .mapping(let nested) = value {
                    try validate(nested, prefix: name + ".", path: path, into: &values)
                } else if value.null == nil {
                    throw ConfigurationError(.wrongType, source: location, key: name, "expected a section of keys, found a \(value.kindName)")
                }
            } else {
                throw ConfigurationError(.unknownKey, source: location, key: name, "unknown key\(Self.suggestion(for: name))")
            }
        }
    }

    /// Environment variables that look like overrides must name a known key (typo protection).
    private func validateEnvironment() throws(ConfigurationError) {
        let known = Set(ConfigurationKey.all.map(\.environmentVariable)).union(["WAYBILL_CONFIG"])
        for name in environment.keys.sorted() where name.hasPrefix("WAYBILL_") && !known.contains(name) {
            let key = name.dropFirst("WAYBILL_".count).lowercased()
            throw ConfigurationError(
                .unknownKey,
                source: "environment variable \(name)",
                "no configuration key matches\(Self.suggestion(for: key, environment: true)); unset it or fix its name"
            )
        }
    }

    /// Keys that were replaced, with what to write instead.
    static let replaced = ["station.auto": "station.mode (auto, or manual for a packer at the station screen)"]

    /// ", did you mean 'x'?" for the closest known key, when one is close.
    static func suggestion(for name: String, environment: Bool = false) -> String {
        if let replacement = replaced[environment ? name.replacingOccurrences(of: "_", with: ".", options: [], range: name.range(of: "_")) : name] {
            return "; it was replaced by \(replacement)"
        }
        let candidates = ConfigurationKey.all.map { environment ? $0.name.replacingOccurrences(of: ".", with: "_") : $0.name }
        let best = candidates.map { ($0, editDistance(name, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, name.count / 4) else {
            return " (known keys: \(ConfigurationKey.all.map(\.name).joined(separator: ", ")))"
        }
        let shown =
            environment ? ConfigurationKey.all.first { $0.name.replacingOccurrences(of: ".", with: "_") == best.0 }!.environmentVariable : best.0
        return "; did you mean '\(shown)'?"
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension Node {
    fileprivate var kindName: String {
        switch self {
        case .scalar: "scalar"
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        }
    }
}
