import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WaybillCore
import WaybillHubStore

/// A request that cannot be served, carried as the reply to send.
struct ReplyError: Error {
    let reply: HubReply
}

extension Request {
    /// The whole body, up to 32 MiB.
    func bytes() async throws -> [UInt8] {
        Array(try await body.collect(upTo: 32 << 20).readableBytesView)
    }

    /// The body decoded as `T`; unknown fields are ignored. A malformed body throws a 400 reply.
    func decode<T: Decodable>(_ type: T.Type) async throws -> T {
        let data = try await bytes()
        do {
            return try JSONDecoder().decode(type, from: Data(data))
        } catch {
            throw ReplyError(reply: .error(.badRequest, "invalid_request", "the request body is not valid \(type): \(error)"))
        }
    }
}

extension HubState {
    /// The station of the request's bearer token.
    func authenticate(_ request: Request) throws -> String {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw ReplyError(reply: .error(.unauthorized, AccessTokens.Failure.missing.rawValue, "send Authorization: Bearer <access token>"))
        }
        let stationID: String
        do {
            stationID = try tokens.verify(String(header.dropFirst("Bearer ".count)), now: clock.now)
        } catch {
            let message = error == .expired ? "the access token expired; refresh it" : "the access token is not valid; get a new one"
            throw ReplyError(reply: .error(.unauthorized, error.rawValue, message))
        }
        guard let station = try store.station(id: stationID), !station.revoked else {
            throw ReplyError(reply: .error(.forbidden, "station_revoked", "station \(stationID) has been revoked; contact the central admin"))
        }
        return stationID
    }

    /// Runs a handler, turning thrown replies and store errors into responses.
    func guarded(_ body: () async throws -> HubReply) async throws -> HubReply {
        do {
            return try await body()
        } catch let error as ReplyError {
            return error.reply
        } catch let error as any HubStoreErrorConvertible {
            return HubReply.error(error.hubStoreError)
        } catch {
            logger.error("Request failed", metadata: ["error": "\(error)"])
            return HubReply.error(.internalServerError, "internal", "the hub failed: \(error)")
        }
    }
}

/// Errors the routes turn into the central API's error shape.
protocol HubStoreErrorConvertible: Error {
    var hubStoreError: HubStoreError { get }
}

extension HubStoreError: HubStoreErrorConvertible {
    var hubStoreError: HubStoreError { self }
}
