public import Foundation
import GRDB

/// A label sold by the hub's ShipEngine emulator (`waybill-hub serve --emulate shipping`).
public struct EmulatedLabel: Codable, Sendable, Hashable {
    public var labelID: String
    public var externalShipmentID: String?
    public var carrierID: String
    public var serviceCode: String
    public var trackingNumber: String
    public var cost: Double
    public var zpl: String
    /// The request as the client sent it (canonical JSON).
    public var request: String
    public var voided: Bool
    /// The carrier scanned the parcel: the label can no longer be voided.
    public var used: Bool
    public var createdAt: Date

    public init(
        labelID: String,
        externalShipmentID: String?,
        carrierID: String,
        serviceCode: String,
        trackingNumber: String,
        cost: Double,
        zpl: String,
        request: String,
        voided: Bool = false,
        used: Bool = false,
        createdAt: Date
    ) {
        self.labelID = labelID
        self.externalShipmentID = externalShipmentID
        self.carrierID = carrierID
        self.serviceCode = serviceCode
        self.trackingNumber = trackingNumber
        self.cost = cost
        self.zpl = zpl
        self.request = request
        self.voided = voided
        self.used = used
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case labelID = "label_id"
        case externalShipmentID = "external_shipment_id"
        case carrierID = "carrier_id"
        case serviceCode = "service_code"
        case trackingNumber = "tracking_number"
        case cost, zpl, request, voided, used
        case createdAt = "created_at"
    }
}

extension HubStore {
    static func addEmulatedShipping(_ db: Database) throws {
        try db.execute(
            sql: """
                -- Labels sold by the ShipEngine emulator. Like the real API it takes no idempotency key:
                -- the same external_shipment_id may be bought twice, and this table says so.
                CREATE TABLE emulated_labels (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    label_id TEXT NOT NULL UNIQUE,
                    external_shipment_id TEXT,
                    carrier_id TEXT NOT NULL,
                    service_code TEXT NOT NULL,
                    tracking_number TEXT NOT NULL,
                    cost REAL NOT NULL,
                    zpl TEXT NOT NULL,
                    request TEXT NOT NULL,
                    voided INTEGER NOT NULL DEFAULT 0,
                    used INTEGER NOT NULL DEFAULT 0,
                    created_at REAL NOT NULL
                );
                CREATE INDEX emulated_labels_by_external_id ON emulated_labels(external_shipment_id, seq);
                """
        )
    }

    /// Sells a label: `make` gets the new label's sequence number and returns it whole.
    public func sellEmulatedLabel(now: Date = Date(), _ make: (Int) -> EmulatedLabel) throws -> EmulatedLabel {
        try writer.write { db in
            let seq = (try Int.fetchOne(db, sql: "SELECT ifnull(max(seq), 0) + 1 FROM emulated_labels") ?? 1)
            let label = make(seq)
            try db.execute(
                sql: """
                    INSERT INTO emulated_labels (seq, label_id, external_shipment_id, carrier_id, service_code, tracking_number, cost, zpl,
                                                 request, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    seq, label.labelID, label.externalShipmentID, label.carrierID, label.serviceCode, label.trackingNumber, label.cost,
                    label.zpl, label.request, now.timeIntervalSince1970,
                ]
            )
            return label
        }
    }

    /// The label `labelID`, if sold.
    public func emulatedLabel(id labelID: String) throws -> EmulatedLabel? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM emulated_labels WHERE label_id = ?", arguments: [labelID]).map(Self.emulatedLabel)
        }
    }

    /// The first label sold under `externalShipmentID` (as the real API answers, even when several were).
    public func emulatedLabel(externalShipmentID: String) throws -> EmulatedLabel? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM emulated_labels WHERE external_shipment_id = ? ORDER BY seq LIMIT 1",
                arguments: [externalShipmentID]
            ).map(Self.emulatedLabel)
        }
    }

    /// Every label sold, oldest first.
    public func emulatedLabels() throws -> [EmulatedLabel] {
        try writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM emulated_labels ORDER BY seq").map(Self.emulatedLabel) }
    }

    /// Marks a label voided (`voided: true`) or used by the carrier (`used: true`); returns whether it exists.
    @discardableResult
    public func markEmulatedLabel(_ labelID: String, voided: Bool = false, used: Bool = false) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE emulated_labels SET voided = voided OR ?, used = used OR ? WHERE label_id = ?",
                arguments: [voided, used, labelID]
            )
            return db.changesCount > 0
        }
    }

    private static func emulatedLabel(_ row: Row) -> EmulatedLabel {
        EmulatedLabel(
            labelID: row["label_id"],
            externalShipmentID: row["external_shipment_id"],
            carrierID: row["carrier_id"],
            serviceCode: row["service_code"],
            trackingNumber: row["tracking_number"],
            cost: row["cost"],
            zpl: row["zpl"],
            request: row["request"],
            voided: row["voided"],
            used: row["used"],
            createdAt: Date(timeIntervalSince1970: row["created_at"])
        )
    }
}
