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

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), by hand: it is read on every answer
    /// of the central API, and a date formatter would load ICU into an idle agent for it.
    public static func httpDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), parts[5] == "GMT",
            let day = Int(parts[1]), (1...31).contains(day),
            let month = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3]), (1970...9999).contains(year)
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard parts[4].count == 8, clock.count == 3, (0...23).contains(clock[0]), (0...59).contains(clock[1]), (0...60).contains(clock[2])
        else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm), then seconds since 1970.
        let y = month < 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let monthFromMarch = (month + 10) % 12  // month is 0-based: March is 0, February 11
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: Double(days * 86_400 + clock[0] * 3_600 + clock[1] * 60 + clock[2]))
    }
}
