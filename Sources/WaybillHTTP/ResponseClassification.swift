public import Foundation

/// What a caller should do with an HTTP status: the single place where statuses are classified.
public enum ResponseClassification: Sendable, Hashable {
    /// 2xx: the request succeeded.
    case success
    /// 401: the access token is missing or expired; refresh it and send the same request again.
    case refreshCredentials
    /// 408, 425, 429 and 5xx except 501/505: a passing condition; retry with backoff.
    case retry
    /// Anything else: the request will not succeed as it is; do not retry.
    case permanent

    /// Classifies an HTTP status code.
    public init(status: Int) {
        switch status {
        case 200..<300: self = .success
        case 401: self = .refreshCredentials
        case 408, 425, 429: self = .retry
        case 501, 505: self = .permanent
        case 500..<600: self = .retry
        default: self = .permanent
        }
    }
}

/// Parses a Retry-After header value: delta-seconds or an HTTP date.
public enum RetryAfter {
    /// The delay the header asks for, relative to `now`; `nil` when the value cannot be read.
    public static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .seconds(max(0, date.timeIntervalSince(now)))
    }
}
