import Crypto
import Foundation
import GRDB
import WaybillCore

/// The reference hub's state in SQLite: stations, entities, the changes feed, operation results,
/// label purchases and the audit ledger. State and ledger survive restarts.
public struct HubStore: Sendable {
    let writer: any DatabaseWriter
    public let path: String

    /// Opens (creating and migrating) the hub database at `path`.
    public static func open(path: String) throws -> HubStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try HubMigrations.migrator.migrate(pool)
        return HubStore(writer: pool, path: path)
    }

    /// The folder beside the database where seeded station secrets are written.
    public var secretsDirectory: String {
        URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("secrets").path
    }

    /// The key that signs access tokens, created on first use and kept in the database.
    public func signingKey() throws -> [UInt8] {
        try writer.write { db in
            if let hex = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'signing_key'") {
                return Self.bytes(hex: hex)
            }
            let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('signing_key', ?)", arguments: [Self.hex(key)])
            return key
        }
    }

    static func sha256(_ text: String) -> String {
        hex(Array(SHA256.hash(data: Data(text.utf8))))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }

    /// JSON text of a value, keys sorted so equal values render equally.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
