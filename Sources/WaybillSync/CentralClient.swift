import Foundation
public import Logging
import Synchronization
public import WaybillCore
public import WaybillHTTP

/// The station's connection to the central API: authentication (with token refresh), requests with
/// timeouts, and one place that turns HTTP outcomes into ``SyncError``s.
public final class CentralClient: Sendable {
    public let baseURL: String
    public let stationID: StationID
    private let secret: String
    private let http: CurlHTTPClient
    private let tokens = Mutex<CentralAPI.TokenResponse?>(nil)
    private let skew = Mutex<Double?>(nil)
    private let logger: Logger

    public init(baseURL: String, stationID: StationID, secret: String, http: CurlHTTPClient, logger: Logger) {
        self.baseURL = baseURL
        self.stationID = stationID
        self.secret = secret
        self.http = http
        self.logger = logger
    }

    /// Sends an authenticated request. A 401 refreshes the token (or signs in again) and sends the
    /// same request once more; nothing is lost or reordered.
    ///
    /// - Returns: the response for 2xx and for the statuses in `accepting`.
    /// - Throws: ``SyncError`` for transport failures and every other status.
    public func send(
        _ method: String,
        _ path: String,
        body: [UInt8] = [],
        headers: [(name: String, value: String)] = [],
        accepting: Set<Int> = []
    ) async throws(SyncError) -> HTTPResponse {
        var response = try await sendOnce(method, path, body: body, headers: headers, token: try await accessToken())
        if response.status == 401 {
            tokens.withLock { $0 = nil }
            logger.info("Access token refused; signing in again", metadata: ["http.status": "401"])
            response = try await sendOnce(method, path, body: body, headers: headers, token: try await accessToken())
        }
        if (200..<300).contains(response.status) || accepting.contains(response.status) { return response }
        throw Self.error(for: response, path: path)
    }

    private func sendOnce(
        _ method: String,
        _ path: String,
        body: [UInt8],
        headers: [(name: String, value: String)],
        token: String
    ) async throws(SyncError) -> HTTPResponse {
        let request = HTTPRequest(
            method: method,
            url: baseURL + path,
            headers: [(name: "Authorization", value: "Bearer \(token)"), (name: "Content-Type", value: "application/json")] + headers,
            body: body
        )
        do {
            return try await timed(request)
        } catch {
            throw SyncError(.transport, "\(error)")
        }
    }

    /// Seconds this station's clock is ahead of the central API's (negative: behind), from the
    /// `Date` header of its latest answer; nil before an answer with one.
    public var clockSkew: Double? { skew.withLock { $0 } }

    /// Sends `request` and notes the clock skew its answer shows.
    private func timed(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let sent = Date()
        let response = try await http.send(request)
        if let measured = ClockSkew.measure(dateHeader: response.header("Date"), sent: sent, received: Date()) {
            skew.withLock { $0 = measured }
        }
        return response
    }

    /// A valid access token: the cached one, a refreshed one, or a new sign-in with the secret.
    private func accessToken() async throws(SyncError) -> String {
        if let cached = tokens.withLock({ $0 }) { return cached.accessToken }
        let response: HTTPResponse
        do {
            let body = try JSONEncoder().encode(CentralAPI.TokenRequest(stationID: stationID.rawValue, secret: secret))
            response = try await timed(
                HTTPRequest(
                    method: "POST",
                    url: baseURL + "/v1/auth/token",
                    headers: [(name: "Content-Type", value: "application/json")],
                    body: Array(body)
                )
            )
        } catch let error as HTTPClientError {
            throw SyncError(.transport, "\(error)")
        } catch {
            throw SyncError(.schema, "cannot encode the sign-in request: \(error)")
        }
        guard response.status == 200 else {
            if response.status == 401 || response.status == 403 {
                throw SyncError(
                    .authentication,
                    "the central API refused the station's credentials (\(response.status) \(Self.code(of: response) ?? "")); "
                        + "check central.secret_file and that station \(stationID) is registered and not revoked",
                    status: response.status
                )
            }
            throw Self.error(for: response, path: "/v1/auth/token")
        }
        guard let issued = try? JSONDecoder().decode(CentralAPI.TokenResponse.self, from: Data(response.body)) else {
            throw SyncError(.schema, "the token response is not valid JSON", status: response.status)
        }
        tokens.withLock { $0 = issued }
        return issued.accessToken
    }

    static func code(of response: HTTPResponse) -> String? {
        (try? JSONDecoder().decode(CentralAPI.ErrorBody.self, from: Data(response.body)))?.code
    }

    static func error(for response: HTTPResponse, path: String) -> SyncError {
        let body = try? JSONDecoder().decode(CentralAPI.ErrorBody.self, from: Data(response.body))
        let code = body?.code ?? "http_\(response.status)"
        let retryAfter = response.header("Retry-After").flatMap { RetryAfter.parse($0) }
        switch response.status {
        case 410:
            return SyncError(.cursorExpired, "the central feed no longer serves our cursor (\(code)); a client reset is needed", status: 410)
        case 401, 403:
            return SyncError(.authentication, "\(path) answered \(response.status) \(code); check the station's credentials", status: response.status)
        default:
            // The one place answers are classified (``ResponseClassification``): passing failures are
            // retried with backoff; a request refused as it is waits for the central system's team.
            guard ResponseClassification(status: response.status) == .retry else {
                return SyncError(
                    .refused,
                    "\(path) answered \(response.status) \(code): the central API refuses the request as it is"
                        + (body.map { ": \($0.message)" } ?? ""),
                    status: response.status,
                    centralError: body
                )
            }
            return SyncError(.httpStatus, "\(path) answered \(response.status) \(code)", status: response.status, retryAfter: retryAfter)
        }
    }
}
