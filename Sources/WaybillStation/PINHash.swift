import Crypto
import Foundation
public import WaybillCore
import _CryptoExtras

/// A packer's PIN as the station keeps it: PBKDF2-HMAC-SHA256 with a random 16-byte salt, written
/// `pbkdf2-sha256$ROUNDS$SALT$HASH` (base64). A PIN has few digits, so the hash only slows down
/// someone holding a copy of the database; the screen's rate limit is what stops guessing.
public enum PINHash {
    /// The rounds for new hashes (OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600 000).
    public static let rounds = 600_000

    /// The stored form of `pin`.
    public static func make(_ pin: PackerPIN, rounds: Int = rounds) -> String {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let hash = derive(pin, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(salt.base64EncodedString())$\(hash.base64EncodedString())"
    }

    /// A hash checked when no packer has the name typed, so that an unknown name takes as long as a
    /// wrong PIN.
    public static let decoy = make(try! PackerPIN("0000"))

    /// Whether `pin` is the one `stored` was made from; `false` for anything not written by ``make(_:rounds:)``.
    public static func matches(_ pin: PackerPIN, _ stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), (1...10_000_000).contains(rounds),
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])), expected.count == 32
        else { return false }
        let actual = derive(pin, salt: salt, rounds: rounds)
        // Compared in constant time: the answer's timing says nothing about how close a guess was.
        return zip(actual, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ pin: PackerPIN, salt: Data, rounds: Int) -> Data {
        // A stored hash names its rounds (checked by the caller); the checked entry point would refuse
        // fewer than 210 000, which tests use to stay fast.
        let key = try? KDF.Insecure.PBKDF2.deriveKey(
            from: Data(pin.digits.utf8),
            salt: salt,
            using: .sha256,
            outputByteCount: 32,
            unsafeUncheckedRounds: rounds
        )
        return key?.withUnsafeBytes { Data($0) } ?? Data()
    }
}
