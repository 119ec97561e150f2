public import Foundation
import GRDB
import WaybillCore

/// A person who signs in at the station's screen.
public struct StationPacker: Sendable, Equatable {
    /// The name recorded with every gesture the packer makes.
    public let name: String
    /// The salted hash of the packer's PIN, as ``PINHash`` writes it.
    public let pinHash: String
    /// Whether the packer may accept a box whose weight does not match.
    public let supervisor: Bool
    public let addedAt: Date
}

extension WaybillStore {
    /// Adds a packer, or with `replacing` gives an existing one a new PIN and role.
    ///
    /// - Throws: ``StoreError`` `.invalidInput` when the name is not a ``PackerName`` or is taken
    ///   (and `replacing` is false).
    public func addPacker(name: String, pinHash: String, supervisor: Bool, replacing: Bool = false) throws {
        let checked: PackerName
        do {
            checked = try PackerName(name)
        } catch {
            throw StoreError(.invalidInput, error.description)
        }
        try write("add packer \(checked)") { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM packers WHERE name = ?", arguments: [checked.rawValue]) ?? false
            if exists && !replacing {
                throw StoreError(.invalidInput, "a packer named \(checked) exists; give --replace to set a new PIN, or choose another name")
            }
            try db.execute(
                sql: """
                    INSERT INTO packers (name, pin_hash, supervisor, added_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET pin_hash = excluded.pin_hash, supervisor = excluded.supervisor
                    """,
                arguments: [checked.rawValue, pinHash, supervisor, Date().timeIntervalSince1970]
            )
        }
    }

    /// Removes a packer; their signed-in sessions end when the screen next checks them.
    ///
    /// - Returns: whether a packer of that name existed.
    @discardableResult
    public func removePacker(name: String) throws -> Bool {
        try write("remove packer") { db in
            try db.execute(sql: "DELETE FROM packers WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    /// Every packer, by name.
    public func packers() throws -> [StationPacker] {
        try read("list packers") { db in
            try Row.fetchAll(db, sql: "SELECT name, pin_hash, supervisor, added_at FROM packers ORDER BY name").map(Self.packer)
        }
    }

    /// The packer of that name (any case), or `nil`.
    public func packer(named name: String) throws -> StationPacker? {
        try read("find packer") { db in
            try Row.fetchOne(db, sql: "SELECT name, pin_hash, supervisor, added_at FROM packers WHERE name = ?", arguments: [name]).map(Self.packer)
        }
    }

    /// Whether anyone can sign in at the screen (with packers, the screen asks who packs).
    public func hasPackers() throws -> Bool {
        try read("count packers") { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM packers)") ?? false }
    }

    private static func packer(_ row: Row) -> StationPacker {
        StationPacker(
            name: row["name"],
            pinHash: row["pin_hash"],
            supervisor: row["supervisor"],
            addedAt: Date(timeIntervalSince1970: row["added_at"])
        )
    }
}
