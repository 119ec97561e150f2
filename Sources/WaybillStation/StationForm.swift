import Foundation
import HTTPTypes
import Hummingbird

/// The fields the station's forms send, read with a size limit, and order ids in paths.
struct StationForm: Decodable {
    var code: String?
    var hand: String?
    /// The box a weight or an override is for.
    var box: Int?
    /// A weight typed by hand, in pounds.
    var weight: String?
    /// `1` to weigh with the scale's stable reading instead of a typed weight.
    var scale: String?
    /// A supervisor's reason for accepting a weight mismatch.
    var reason: String?
    /// The supervisor's PIN that accepts a mismatch, when the packer signed in is not one.
    var supervisorPin: String?
    /// The sign-in form's name and PIN.
    var name: String?
    var pin: String?
    /// Where the sign-in form goes on to.
    var next: String?

    enum CodingKeys: String, CodingKey {
        case code, hand, box, weight, scale, reason, name, pin, next
        case supervisorPin = "supervisor_pin"
    }

    /// The header the page's script sends its CSRF token in (forms send a `csrf` field).
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// The value of one field of a URL-encoded body, or `nil`.
    static func field(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }

    /// The largest form body read: a scan is a barcode, not a document.
    static let limit = 4096

    /// Decodes a URL-encoded form body (fields it does not know, such as `csrf`, are ignored).
    static func read(_ request: Request) async throws -> StationForm {
        let buffer = try await request.body.collect(upTo: limit)
        let text = String(buffer: buffer)
        guard !text.isEmpty else { return StationForm() }
        do {
            return try URLEncodedFormDecoder().decode(StationForm.self, from: text)
        } catch {
            throw HTTPError(.badRequest, message: "the form could not be read: send code=…, hand=…, box=…&weight=… or box=…&reason=…")
        }
    }

    /// An order id as a path component (`#` and other reserved characters percent-encoded).
    static func path(_ orderID: String) -> String {
        orderID.addingPercentEncoding(withAllowedCharacters: allowed) ?? orderID
    }

    /// The order id of a `/station/orders/:order` route.
    static func orderID(_ parameters: Parameters) throws -> String {
        let raw = try parameters.require("order")
        return raw.removingPercentEncoding ?? raw
    }

    private static let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._")
}
