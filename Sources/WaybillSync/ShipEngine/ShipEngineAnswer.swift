import Foundation
import WaybillCore
import WaybillHTTP

/// How the station reads a ShipEngine answer: the one place its statuses and `errors[]` are classified.
enum ShipEngineAnswer {
    /// The error of a failed answer: retryable (`.httpStatus`, with Retry-After), the API key refused
    /// (`.authentication`), or refused as it is (`.refused`, in the provider's words).
    static func error(for response: HTTPResponse, doing what: String) -> SyncError {
        let body = try? JSONDecoder().decode(ShipEngineAPI.ErrorBody.self, from: Data(response.body))
        let words =
            body.map { body in
                body.errors.map { "\($0.message) (\($0.errorSource) \($0.errorType) \($0.errorCode))" }.joined(separator: "; ")
                    + " [request \(body.requestID)]"
            } ?? "\(String(decoding: response.body.prefix(200), as: UTF8.self))"
        let codes = Set(body?.errors.map(\.errorCode) ?? [])
        let types = Set(body?.errors.map(\.errorType) ?? [])
        if response.status == 401 || response.status == 403 || types.contains("security") {
            return SyncError(
                .authentication,
                "ShipEngine refused the API key while \(what) (\(response.status)): \(words); check shipping.api_key_file",
                status: response.status
            )
        }
        if ResponseClassification(status: response.status) == .retry || codes.contains("rate_limit_exceeded") || codes.contains("timeout")
            || types.contains("system")
        {
            return SyncError(
                .httpStatus,
                "ShipEngine answered \(response.status) while \(what): \(words)",
                status: response.status,
                retryAfter: response.header("Retry-After").flatMap { RetryAfter.parse($0) }
            )
        }
        return SyncError(.refused, "ShipEngine refused \(what) (\(response.status)): \(words)", status: response.status)
    }
}
