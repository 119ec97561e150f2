import GRDB
public import WaybillCore

/// A position in the changes feed: the feed's generation (bumped by each compaction) and a change
/// sequence number, written `G.S`; `0` is the start (a full resync).
public struct FeedCursor: Sendable, Hashable, CustomStringConvertible {
    public let generation: Int
    public let seq: Int

    public static let start = FeedCursor(generation: 0, seq: 0)

    public init(generation: Int, seq: Int) {
        self.generation = generation
        self.seq = seq
    }

    /// Parses `0` or `G.S`.
    public init?(_ text: String) {
        if text == "0" {
            self = .start
            return
        }
        let parts = text.split(separator: ".")
        guard parts.count == 2, let generation = Int(parts[0]), let seq = Int(parts[1]), generation >= 1, seq >= 0 else { return nil }
        self.init(generation: generation, seq: seq)
    }

    public var description: String { self == .start ? "0" : "\(generation).\(seq)" }
}

/// One page of the changes feed, with each change as the JSON text it is served as.
public struct FeedPage: Sendable {
    /// The changes' JSON objects, in feed order.
    public let bodies: [String]
    /// The cursor to ask for next.
    public let nextCursor: FeedCursor
    /// Whether more changes follow right away.
    public let hasMore: Bool
    /// The newest position of the whole feed, so a client can tell how far behind it is.
    public let head: FeedCursor
}

extension HubStore {
    /// Writes a new version of an entity and appends its change for each audience (a station id,
    /// or `nil` for every station). Returns the new version.
    @discardableResult
    static func record(
        _ db: Database,
        entity: CentralAPI.Entity,
        id: String,
        data: String,
        audiences: [String?],
        deleted: Bool = false
    ) throws -> Int {
        let current = try Int.fetchOne(db, sql: "SELECT version FROM entities WHERE entity = ? AND id = ?", arguments: [entity.rawValue, id])
        let version = (current ?? 0) + 1
        try db.execute(
            sql: """
                INSERT INTO entities (entity, id, version, station_id, deleted, data) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(entity, id) DO UPDATE SET version = excluded.version, station_id = excluded.station_id,
                    deleted = excluded.deleted, data = excluded.data
                """,
            arguments: [entity.rawValue, id, version, audiences.first ?? nil, deleted, data]
        )
        let body = changeBody(entity: entity.rawValue, id: id, version: version, op: deleted ? "delete" : "upsert", data: data)
        for audience in Set(audiences.map { $0 ?? "" }) {
            try db.execute(
                sql: "INSERT INTO changes (entity, entity_id, version, station_id, body) VALUES (?, ?, ?, ?, ?)",
                arguments: [entity.rawValue, id, version, audience.isEmpty ? nil : audience, body]
            )
        }
        return version
    }

    /// The JSON object of one change, rendered once and served as is.
    ///
    /// `data` is the entity encoded through its contract type; the envelope around it is written here
    /// so that its keys come in the contract's order with `data` last (`JSONEncoder` does not promise
    /// an order): a station's scanner then knows the entity before it reads the data, and checks and
    /// indexes the data in one pass.
    static func changeBody(entity: String, id: String, version: Int, op: String, data: String) -> String {
        "{\"entity\":\"\(entity)\",\"id\":\(JSONStringLiteral.quote(id)),\"version\":\(version),\"op\":\"\(op)\",\"data\":\(data)}"
    }

    static func meta(_ db: Database, _ key: String) throws -> Int {
        Int(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) ?? "") ?? 0
    }

    /// A page of changes for `stationID` after `position`.
    ///
    /// - Throws: ``HubStoreError`` `cursor_expired` for a cursor issued before a compaction that removed
    ///   changes after it: the station must resync from cursor 0.
    public func changes(stationID: String, after position: FeedCursor, limit: Int, repeating repeated: Int = 0) throws -> FeedPage {
        try writer.read { db in
            let generation = max(1, try Self.meta(db, "generation"))
            let horizon = try Self.meta(db, "horizon")
            if position != .start, position.generation < generation, position.seq < horizon {
                throw HubStoreError("cursor_expired", "cursor \(position) is older than the feed keeps; resync from cursor 0")
            }
            let cursor = position.seq
            var bodies: [String] = []
            if repeated > 0 {
                let earlier = try String.fetchAll(
                    db,
                    sql: """
                        SELECT body FROM changes WHERE seq <= ? AND (station_id IS NULL OR station_id = ?)
                        ORDER BY seq DESC LIMIT ?
                        """,
                    arguments: [cursor, stationID, repeated]
                )
                bodies.append(contentsOf: earlier.reversed())
            }
            var last = cursor
            var count = 0
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT seq, body FROM changes WHERE seq > ? AND (station_id IS NULL OR station_id = ?)
                    ORDER BY seq LIMIT ?
                    """,
                arguments: [cursor, stationID, limit + 1]
            )
            while let row = try rows.next() {
                count += 1
                if count > limit { break }
                last = row[0]
                bodies.append(row[1])
            }
            let head = try Int.fetchOne(db, sql: "SELECT ifnull(max(seq), 0) FROM changes") ?? 0
            // At the end of the station's scope the cursor jumps to the head (in this same snapshot):
            // nothing between is visible to the station, and the next poll starts later.
            let next = count > limit ? last : max(last, head)
            return FeedPage(
                bodies: bodies,
                nextCursor: FeedCursor(generation: generation, seq: next),
                hasMore: count > limit,
                head: FeedCursor(generation: generation, seq: head)
            )
        }
    }

    /// Drops superseded changes, moves the horizon to the newest change and starts a new cursor
    /// generation: every earlier cursor but the newest is then answered with 410 Gone.
    @discardableResult
    public func compact() throws -> Int {
        try writer.write { db in
            try db.execute(
                sql: """
                    DELETE FROM changes WHERE seq NOT IN
                        (SELECT max(seq) FROM changes GROUP BY entity, entity_id, ifnull(station_id, ''))
                    """
            )
            let horizon = try Int.fetchOne(db, sql: "SELECT ifnull(max(seq), 0) FROM changes") ?? 0
            let generation = max(1, try Self.meta(db, "generation")) + 1
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('horizon', ?)", arguments: ["\(horizon)"])
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)", arguments: ["\(generation)"])
            return horizon
        }
    }

    /// The current JSON of an entity, or `nil`.
    public func entity(_ entity: CentralAPI.Entity, id: String) throws -> (version: Int, data: String)? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT version, data FROM entities WHERE entity = ? AND id = ?", arguments: [entity.rawValue, id])
                .map { ($0["version"], $0["data"]) }
        }
    }

    /// Every entity of a type a station sees, with versions: the hub's view a replica should equal.
    public func view(of entity: CentralAPI.Entity, stationID: String) throws -> [String: Int] {
        try writer.read { db in
            var result: [String: Int] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT id, version FROM entities WHERE entity = ? AND deleted = 0 AND (station_id IS NULL OR station_id = ?)",
                arguments: [entity.rawValue, stationID]
            )
            while let row = try rows.next() { result[row[0]] = row[1] }
            return result
        }
    }
}

extension HubStore {
    /// Appends a change to `stationID`'s feed exactly as given: `data` is served as it is, valid JSON
    /// or not, and the hub's own copy of the entity is left alone. This is a central system with a
    /// bug, for tests and demos of what a station does with bad data (`POST /admin/changes/raw`).
    public func appendRawChange(stationID: String, entity: String, id: String, version: Int, op: String, data: String) throws {
        try writer.write { db in
            guard try Self.stationExists(db, stationID) else { throw HubStoreError.notFound("station \(stationID)") }
            try db.execute(
                sql: "INSERT INTO changes (entity, entity_id, version, station_id, body) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    entity, id, version, stationID,
                    "{\"entity\":\(JSONStringLiteral.quote(entity)),\"id\":\(JSONStringLiteral.quote(id)),\"version\":\(version),"
                        + "\"op\":\(JSONStringLiteral.quote(op)),\"data\":\(data)}",
                ]
            )
        }
    }
}
