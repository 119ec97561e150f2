public import Foundation

/// How far this machine's clock is from a server's, from the `Date` header of one of its answers.
public enum ClockSkew {
    /// Seconds this machine's clock is ahead of the server's (negative: behind), comparing the
    /// server's `Date` (RFC 9110 IMF-fixdate, one-second resolution) with the middle of the request;
    /// nil when the header is missing or not an HTTP date.
    public static func measure(dateHeader: String?, sent: Date, received: Date) -> Double? {
        guard let dateHeader, let serverTime = httpDate(dateHeader) else { return nil }
        let local = sent.addingTimeInterval(received.timeIntervalSince(sent) / 2)
        return local.timeIntervalSince(serverTime)
    }

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    public static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
