/// How well the station reaches the central API, derived from recent sync results.
public enum Connectivity: String, Sendable, Hashable, Codable {
    /// The last attempts succeeded.
    case online
    /// The central API answers, but with errors (5xx, 429) or some attempts failed.
    case degraded
    /// The last attempts got no answer at all.
    case offline

    /// Derives the state from recent results, newest last: `true` success, `false` failure with an
    /// answer, `nil` failure without one.
    ///
    /// Online when the last attempt succeeded; offline when the last two (or the only one) got no
    /// answer; degraded otherwise (errors with answers, or a first silence after success).
    public static func from(recent: [Bool?]) -> Connectivity {
        guard let last = recent.last else { return .offline }
        if last == true { return .online }
        if recent.suffix(2).allSatisfy({ $0 == nil }) { return .offline }
        return .degraded
    }
}
