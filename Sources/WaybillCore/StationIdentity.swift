/// Who is writing: a station's id and the epoch its outbox sequence numbers belong to.
///
/// The epoch starts at 1 and grows by one at each client reset, so `(stationID, epoch, seq)` never
/// repeats even when a replica is rebuilt from scratch.
public struct StationIdentity: Sendable, Hashable, Codable {
    public let stationID: StationID
    public let epoch: Int

    public init(stationID: StationID, epoch: Int) {
        self.stationID = stationID
        self.epoch = epoch
    }

    /// The idempotency key of the operation with sequence number `seq` in this epoch.
    ///
    /// The key is fixed when the operation is recorded and travels with it unchanged, even when
    /// a later client reset replays it under a newer epoch.
    public func idempotencyKey(seq: Int) -> String {
        "\(stationID.rawValue):\(epoch):\(seq)"
    }
}

/// A station id: 1 to 64 characters from `A-Z a-z 0-9 - _ .`.
public struct StationID: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Returns `nil` when `rawValue` is empty, too long or has a character outside the allowed set.
    public init?(rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// What a valid station id looks like, for error messages.
    public static let expectation = "1 to 64 characters from A-Z a-z 0-9 - _ ."

    private static func isValid(_ text: String) -> Bool {
        guard (1...64).contains(text.utf8.count) else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
    }
}
