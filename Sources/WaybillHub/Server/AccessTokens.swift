import Crypto
import Foundation
import WaybillCore

/// Short-lived access tokens: JWTs signed with HMAC-SHA256 by the hub's own key.
struct AccessTokens: Sendable {
    /// The HMAC key's bytes (``SymmetricKey`` is not `Sendable`).
    let keyBytes: [UInt8]
    /// How long an access token lives.
    let lifetime: TimeInterval

    /// Why a token was refused.
    enum Failure: String, Error {
        case missing = "token_missing"
        case invalid = "token_invalid"
        case expired = "token_expired"
    }

    private struct Claims: Codable {
        let sub: String
        let iat: Int
        let exp: Int
        let jti: String
    }

    /// A signed token for `stationID`, valid for ``lifetime`` from `now`.
    func issue(stationID: String, now: Date) throws -> String {
        let header = Self.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let claims = Claims(
            sub: stationID,
            iat: Int(now.timeIntervalSince1970),
            exp: Int(now.timeIntervalSince1970 + lifetime),
            jti: UUID().uuidString
        )
        let payload = Self.base64URL(try JSONEncoder().encode(claims))
        let signature = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(payload)".utf8), using: SymmetricKey(data: keyBytes))
        return "\(header).\(payload).\(Self.base64URL(Data(signature)))"
    }

    /// The station a valid token was issued to.
    func verify(_ token: String, now: Date) throws(Failure) -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let signature = Self.data(base64URL: String(parts[2])) else { throw .invalid }
        let signed = Data("\(parts[0]).\(parts[1])".utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signed, using: SymmetricKey(data: keyBytes)),
            let payload = Self.data(base64URL: String(parts[1])),
            let claims = try? JSONDecoder().decode(Claims.self, from: payload)
        else { throw .invalid }
        guard Double(claims.exp) > now.timeIntervalSince1970 else { throw .expired }
        return claims.sub
    }

    /// A random opaque refresh token.
    static func refreshToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next(), radix: 36) }.joined(separator: "-")
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
