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

    /// A new idempotency key for an operation of this station: the station id and a random UUID.
    ///
    /// The key is fixed when the operation is recorded and travels with it unchanged, even when its
    /// sequence number changes (a client reset replays it under a newer epoch; a held entry leaves
    /// the sequence and rejoins it later), so it cannot be derived from the sequence number.
    public func newIdempotencyKey(using random: inout some RandomNumberGenerator) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(32)
        // 16 random bytes, each as two lowercase hex digits (a durable action makes one per operation).
        for word in [random.next(), random.next()] {
            for shift in 0..<8 {
                let byte = UInt8(truncatingIfNeeded: word >> (shift * 8))
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0xF)])
            }
        }
        return "\(stationID.rawValue):" + String(decoding: hex, as: UTF8.self)
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
