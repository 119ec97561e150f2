import Foundation

/// Exponential backoff with full jitter, honouring the server's Retry-After.
///
/// The delay before attempt `n` (counting failures from 0) is a uniform random duration in
/// `0 ... min(cap, base * 2^n)` (the "full jitter" of the AWS architecture note), but never less
/// than the Retry-After the server asked for. Pure and deterministic for a given random generator,
/// so callers can store the resulting time and resume it after a restart.
public struct RetryPolicy: Sendable, Hashable {
    /// The first backoff ceiling.
    public var base: Duration
    /// The largest backoff ceiling.
    public var cap: Duration
    /// The longest Retry-After honoured; longer requests are clamped to it so a bad header cannot park work for days.
    public var maxRetryAfter: Duration

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(300), maxRetryAfter: Duration = .seconds(3600)) {
        self.base = base
        self.cap = max(cap, base)
        self.maxRetryAfter = maxRetryAfter
    }

    /// The upper bound of the jittered delay after `failures` failed attempts: `min(cap, base * 2^failures)`.
    ///
    /// Used as it is, without jitter, where there is no herd to spread (a station retrying its own
    /// printer: ``WaybillPrint`` holds a label `ceiling(afterFailures: attempts - 1)` before the next try).
    public func ceiling(afterFailures failures: Int) -> Duration {
        let exponent = min(max(failures, 0), 62)
        let baseSeconds = base.seconds
        let grown = baseSeconds * pow(2, Double(exponent))
        return .seconds(min(cap.seconds, grown))
    }

    /// The delay before the next attempt after `failures` failed attempts.
    ///
    /// - Parameters:
    ///   - failures: failed attempts so far (0 for the first retry).
    ///   - retryAfter: the server's Retry-After, when it sent one.
    ///   - generator: the randomness, injectable for tests.
    public func delay<G: RandomNumberGenerator>(
        afterFailures failures: Int,
        retryAfter: Duration? = nil,
        using generator: inout G
    ) -> Duration {
        let ceiling = ceiling(afterFailures: failures).seconds
        let jittered = Duration.seconds(ceiling > 0 ? Double.random(in: 0...ceiling, using: &generator) : 0)
        guard let retryAfter else { return jittered }
        return max(jittered, min(retryAfter, maxRetryAfter))
    }

    /// The delay before the next attempt, with the system's random generator.
    public func delay(afterFailures failures: Int, retryAfter: Duration? = nil) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, retryAfter: retryAfter, using: &generator)
    }
}
