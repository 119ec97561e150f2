public import Foundation
import GRDB

/// A station as the hub knows it.
public struct HubStation: Sendable, Hashable {
    public let id: String
    public let warehouse: String
    public let revoked: Bool
}

extension HubStore {
    /// Registers a station with a new random secret and returns the secret (shown once, stored hashed).
    public func addStation(id: String, warehouse: String = "WH1", now: Date = Date()) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try addStation(id: id, warehouse: warehouse, secret: secret, now: now)
        return secret
    }

    /// Registers a station with a given secret.
    public func addStation(id: String, warehouse: String, secret: String, now: Date = Date()) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO stations (id, warehouse, secret_sha256, revoked, created_at) VALUES (?, ?, ?, 0, ?)
                    ON CONFLICT(id) DO UPDATE SET secret_sha256 = excluded.secret_sha256, revoked = 0
                    """,
                arguments: [id, warehouse, Self.sha256(secret), now.timeIntervalSince1970]
            )
        }
    }

    /// The station when `secret` is its secret, else `nil`.
    public func authenticate(stationID: String, secret: String) throws -> HubStation? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM stations WHERE id = ?", arguments: [stationID]),
                (row["secret_sha256"] as String) == Self.sha256(secret)
            else { return nil }
            return HubStation(id: row["id"], warehouse: row["warehouse"], revoked: row["revoked"])
        }
    }

    /// The station with `id`, or `nil`.
    public func station(id: String) throws -> HubStation? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM stations WHERE id = ?", arguments: [id]).map {
                HubStation(id: $0["id"], warehouse: $0["warehouse"], revoked: $0["revoked"])
            }
        }
    }

    /// Revokes a station: its tokens stop working and it cannot get new ones.
    public func revokeStation(id: String) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE stations SET revoked = 1 WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw HubStoreError.notFound("station \(id)") }
            try db.execute(sql: "DELETE FROM refresh_tokens WHERE station_id = ?", arguments: [id])
        }
    }

    /// Stores a new refresh token for a station.
    public func storeRefreshToken(_ token: String, stationID: String, expiresAt: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO refresh_tokens (token_sha256, station_id, expires_at, used) VALUES (?, ?, ?, 0)",
                arguments: [Self.sha256(token), stationID, expiresAt.timeIntervalSince1970]
            )
        }
    }

    /// Marks a refresh token used and returns its station, or `nil` when it is unknown, used or expired.
    /// Each refresh token works once: refreshing rotates it.
    public func consumeRefreshToken(_ token: String, now: Date) throws -> String? {
        try writer.write { db in
            let hash = Self.sha256(token)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM refresh_tokens WHERE token_sha256 = ?", arguments: [hash]),
                !(row["used"] as Bool), (row["expires_at"] as Double) > now.timeIntervalSince1970
            else { return nil }
            try db.execute(sql: "UPDATE refresh_tokens SET used = 1 WHERE token_sha256 = ?", arguments: [hash])
            return row["station_id"]
        }
    }
}
