/// Backoff for held labels: `base * 2^(attempt-1)`, capped. No jitter: one station retries its own
/// printer, there is no herd to spread.
public struct PrintRetry: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(2), cap: Duration = .seconds(60)) {
        self.base = base
        self.cap = cap
    }

    /// The wait before attempt `attempt + 1`, in seconds.
    public func delay(afterAttempt attempt: Int) -> Double {
        let factor = Double(1 << min(max(attempt - 1, 0), 20))
        return min(base / .seconds(1) * factor, cap / .seconds(1))
    }
}
