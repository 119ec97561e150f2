public import Foundation

/// When a station's shift report is due (`report.schedule`): every day at a local time (`"18:00"`),
/// or every few hours (`"every 8h"`, periods aligned to local midnight: 00:00–08:00, 08:00–16:00, …).
///
/// A report covers one period: from the previous due time to this one.
public enum ShiftSchedule: Sendable, Hashable, CustomStringConvertible {
    /// Daily at `hour`:`minute`, local time.
    case daily(hour: Int, minute: Int)
    /// Every `hours` hours from local midnight (`hours` divides 24).
    case every(hours: Int)

    /// Reads `"HH:MM"` or `"every Nh"` (N one of 1, 2, 3, 4, 6, 8, 12, 24).
    /// - Throws: ``ShiftScheduleError`` saying what is accepted.
    public init(parsing text: String) throws(ShiftScheduleError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("every") {
            let value = trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces)
            guard value.hasSuffix("h"), let hours = Int(value.dropLast()), hours > 0, 24 % hours == 0 else {
                throw ShiftScheduleError(text: text)
            }
            self = .every(hours: hours)
            return
        }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { throw ShiftScheduleError(text: text) }
        self = .daily(hour: hour, minute: minute)
    }

    public var description: String {
        switch self {
        case .daily(let hour, let minute): (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
        case .every(let hours): "every \(hours)h"
        }
    }

    /// The last period that ended at or before `now`, in `calendar`'s time zone.
    public func lastPeriod(endingBy now: Date, calendar: Calendar) -> ShiftPeriod {
        let end = lastDueTime(atOrBefore: now, calendar: calendar)
        return ShiftPeriod(start: previousDueTime(before: end, calendar: calendar), end: end)
    }

    /// The period that is running at `now` (from the last due time to the next): what a preview shows.
    public func currentPeriod(at now: Date, calendar: Calendar) -> ShiftPeriod {
        let start = lastDueTime(atOrBefore: now, calendar: calendar)
        return ShiftPeriod(start: start, end: nextDueTime(after: start, calendar: calendar))
    }

    /// The due times of the day of `date`, in order.
    private func dueTimes(onDayOf date: Date, calendar: Calendar) -> [Date] {
        let midnight = calendar.startOfDay(for: date)
        switch self {
        case .daily(let hour, let minute):
            return [calendar.date(bySettingHour: hour, minute: minute, second: 0, of: midnight)].compactMap { $0 }
        case .every(let hours):
            return stride(from: 0, to: 24, by: hours).compactMap { calendar.date(bySettingHour: $0, minute: 0, second: 0, of: midnight) }
        }
    }

    private func lastDueTime(atOrBefore now: Date, calendar: Calendar) -> Date {
        var day = now
        for _ in 0..<3 {
            if let due = dueTimes(onDayOf: day, calendar: calendar).last(where: { $0 <= now }) { return due }
            day = calendar.date(byAdding: .day, value: -1, to: calendar.startOfDay(for: day)) ?? day.addingTimeInterval(-86_400)
        }
        return calendar.startOfDay(for: now)
    }

    private func previousDueTime(before end: Date, calendar: Calendar) -> Date {
        lastDueTime(atOrBefore: end.addingTimeInterval(-1), calendar: calendar)
    }

    private func nextDueTime(after start: Date, calendar: Calendar) -> Date {
        var day = start
        for _ in 0..<3 {
            if let due = dueTimes(onDayOf: day, calendar: calendar).first(where: { $0 > start }) { return due }
            day = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: day)) ?? day.addingTimeInterval(86_400)
        }
        return start.addingTimeInterval(86_400)
    }
}

/// A `report.schedule` that is neither `"HH:MM"` nor `"every Nh"`.
public struct ShiftScheduleError: Error, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "report.schedule \"\(text)\" is not a schedule: write a local time such as \"18:00\", or \"every 8h\" (1, 2, 3, 4, 6, 8, 12 or 24 hours)"
    }
}

/// The time a shift report covers: from `start` up to, not including, `end`.
public struct ShiftPeriod: Sendable, Hashable, Codable {
    public let start: Date
    public let end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// The period's key, the same whenever it is computed: its start and end in UTC
    /// (`2026-12-05T18:00:00Z/2026-12-06T18:00:00Z`). One report is sent per key.
    public var key: String {
        let format = Date.ISO8601FormatStyle(timeZone: .gmt)
        return start.formatted(format) + "/" + end.formatted(format)
    }
}
