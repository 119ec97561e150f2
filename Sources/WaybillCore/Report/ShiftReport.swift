public import Foundation

/// What one station did in one period (``ShiftPeriod``), read from its replica: the figures a
/// supervisor's evening email holds (``ShiftReportMessage``).
public struct ShiftReport: Sendable, Hashable, Codable {
    /// One reprint and why it was asked for.
    public struct Reprint: Sendable, Hashable, Codable {
        public var labelID: String
        public var reason: String
        public init(labelID: String, reason: String) {
            self.labelID = labelID
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case labelID = "label_id"
            case reason
        }
    }

    /// One packer's work: orders packed, mistakes the bench caught (a wrong item scanned, one
    /// too many), weights a supervisor accepted against the scale.
    public struct Packer: Sendable, Hashable, Codable {
        public var name: String
        public var ordersPacked: Int
        public var mistakesCaught: Int
        public var scaleOverrides: Int
        public init(name: String, ordersPacked: Int, mistakesCaught: Int, scaleOverrides: Int) {
            self.name = name
            self.ordersPacked = ordersPacked
            self.mistakesCaught = mistakesCaught
            self.scaleOverrides = scaleOverrides
        }

        enum CodingKeys: String, CodingKey {
            case name
            case ordersPacked = "orders_packed"
            case mistakesCaught = "mistakes_caught"
            case scaleOverrides = "scale_overrides"
        }
    }

    /// Conflicts of one rule that ended one way (`needs_person` while still open).
    public struct Conflicts: Sendable, Hashable, Codable {
        public var rule: String
        public var outcome: String
        public var count: Int
        public init(rule: String, outcome: String, count: Int) {
            self.rule = rule
            self.outcome = outcome
            self.count = count
        }
    }

    /// Labels a printer held or failed, by reason.
    public struct PrinterFault: Sendable, Hashable, Codable {
        public var printer: String
        public var reason: String
        public var count: Int
        public init(printer: String, reason: String, count: Int) {
            self.printer = printer
            self.reason = reason
            self.count = count
        }
    }

    /// One order the station packed or shipped in the period: a row of the CSV attachment.
    public struct Order: Sendable, Hashable, Codable {
        public var id: String
        public var state: String
        public var packer: String?
        public var boxes: Int
        public var units: Int
        public var labelCost: Double
        public var packedAt: Date?
        public var shippedAt: Date?
        public init(id: String, state: String, packer: String?, boxes: Int, units: Int, labelCost: Double, packedAt: Date?, shippedAt: Date?) {
            self.id = id
            self.state = state
            self.packer = packer
            self.boxes = boxes
            self.units = units
            self.labelCost = labelCost
            self.packedAt = packedAt
            self.shippedAt = shippedAt
        }

        enum CodingKeys: String, CodingKey {
            case id, state, packer, boxes, units
            case labelCost = "label_cost"
            case packedAt = "packed_at"
            case shippedAt = "shipped_at"
        }
    }

    public var stationID: String
    public var period: ShiftPeriod
    public var ordersPacked = 0
    public var ordersShipped = 0
    /// Boxes and units of the orders shipped.
    public var boxes = 0
    public var units = 0
    /// What the carrier labels bought in the period cost (the carriers' currency).
    public var labelCost = 0.0
    public var labelsPrinted = 0
    public var reprints: [Reprint] = []
    /// Labels held at the period's end (a printer out of paper, a queue that refuses them).
    public var labelsHeld = 0
    public var packers: [Packer] = []
    /// Minutes of the period the central API could not be reached, or answered only in part
    /// (offline or degraded).
    public var minutesOffline = 0
    /// The longest an operation waited in the outbox before the center confirmed it (or still
    /// waits, at the period's end), in seconds.
    public var longestOutboxWaitSeconds = 0
    public var conflicts: [Conflicts] = []
    /// Changes from the central feed the station could not accept and set aside for a person.
    public var quarantined = 0
    public var printerFaults: [PrinterFault] = []
    public var orders: [Order] = []

    public init(stationID: String, period: ShiftPeriod) {
        self.stationID = stationID
        self.period = period
    }

    enum CodingKeys: String, CodingKey {
        case stationID = "station_id"
        case period
        case ordersPacked = "orders_packed"
        case ordersShipped = "orders_shipped"
        case boxes, units
        case labelCost = "label_cost"
        case labelsPrinted = "labels_printed"
        case reprints
        case labelsHeld = "labels_held"
        case packers
        case minutesOffline = "minutes_offline"
        case longestOutboxWaitSeconds = "longest_outbox_wait_s"
        case conflicts, quarantined
        case printerFaults = "printer_faults"
        case orders
    }

    /// Mistakes the bench caught, all packers.
    public var mistakesCaught: Int { packers.reduce(0) { $0 + $1.mistakesCaught } }
    /// Weights accepted against the scale, all packers.
    public var scaleOverrides: Int { packers.reduce(0) { $0 + $1.scaleOverrides } }
}
