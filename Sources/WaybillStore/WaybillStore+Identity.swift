public import Foundation
import GRDB
public import WaybillCore

extension WaybillStore {
    /// The station identity stored in this database, created with epoch 1 on first use.
    ///
    /// - Throws: ``StoreError`` `.stationMismatch` when the database already belongs to another station:
    ///   a database is never silently taken over by a second station id.
    public func identity(for stationID: StationID, now: Date = Date()) throws -> StationIdentity {
        try write("read the station identity") { db in
            if let row = try Row.fetchOne(db, sql: "SELECT station_id, epoch FROM station WHERE id = 1") {
                let stored: String = row["station_id"]
                guard stored == stationID.rawValue else {
                    throw StoreError(
                        .stationMismatch,
                        "the database belongs to station '\(stored)' but the configuration says '\(stationID)'; "
                            + "point store.path at this station's own database or fix station.id"
                    )
                }
                return StationIdentity(stationID: stationID, epoch: row["epoch"])
            }
            try db.execute(
                sql: "INSERT INTO station (id, station_id, epoch, next_seq, created_at) VALUES (1, ?, 1, 1, ?)",
                arguments: [stationID.rawValue, now.timeIntervalSince1970]
            )
            return StationIdentity(stationID: stationID, epoch: 1)
        }
    }

    /// The stored identity, or `nil` when no station has used this database yet.
    public func storedIdentity() throws -> StationIdentity? {
        try read("read the station identity") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT station_id, epoch FROM station WHERE id = 1"),
                let id = StationID(rawValue: row["station_id"])
            else { return nil }
            return StationIdentity(stationID: id, epoch: row["epoch"])
        }
    }
}
