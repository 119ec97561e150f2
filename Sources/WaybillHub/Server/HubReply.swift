import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WaybillCore
import WaybillHubStore

/// A response before faults are applied: status, headers and the whole body.
struct HubReply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields = [:]
    var body: [UInt8]

    static let jsonContentType: HTTPFields = [.contentType: "application/json"]

    /// A JSON reply of an encodable value.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> HubReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return HubReply(status: status, headers: jsonContentType, body: Array(try encoder.encode(value)))
    }

    /// A reply with the central API's one error shape.
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: [String: JSONValue]? = nil) -> HubReply {
        let body = CentralAPI.ErrorBody(code: code, message: message, details: details)
        return (try? json(body, status: status)) ?? HubReply(status: status, body: Array(code.utf8))
    }

    /// The reply for a hub store error, by its code.
    static func error(_ error: HubStoreError) -> HubReply {
        let status: HTTPResponse.Status =
            switch error.code {
            case "not_found": .notFound
            case "invalid_request": .badRequest
            case "cursor_expired": .gone
            case "not_shippable": .unprocessableContent
            case "internal": .internalServerError
            default: .conflict
            }
        return Self.error(status, error.code, error.message)
    }

    var response: Response {
        var headers = headers
        headers[.contentLength] = "\(body.count)"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
