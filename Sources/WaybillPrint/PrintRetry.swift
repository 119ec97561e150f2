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
        return min(seconds(base) * factor, seconds(cap))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
