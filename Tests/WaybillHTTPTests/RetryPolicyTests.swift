import Foundation
import Testing
import WaybillHTTP

/// A deterministic generator (SplitMix64) so jitter can be asserted exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(base: .seconds(1), cap: .seconds(300))

    @Test func ceiling_doublesFromBaseAndStopsAtCap() {
        #expect(policy.ceiling(afterFailures: 0) == .seconds(1))
        #expect(policy.ceiling(afterFailures: 1) == .seconds(2))
        #expect(policy.ceiling(afterFailures: 5) == .seconds(32))
        #expect(policy.ceiling(afterFailures: 9) == .seconds(300))
        #expect(policy.ceiling(afterFailures: 10_000) == .seconds(300))
    }

    @Test func delay_isFullJitterWithinZeroAndTheCeiling() {
        var generator = SeededGenerator(state: 7)
        for failures in 0..<20 {
            let samples = (0..<200).map { _ in policy.delay(afterFailures: failures, using: &generator) }
            let ceiling = policy.ceiling(afterFailures: failures)
            #expect(samples.allSatisfy { $0 >= .zero && $0 <= ceiling })
            // Full jitter spreads over the whole range, not just near the ceiling.
            #expect(samples.contains { $0 < ceiling / 4 })
            #expect(samples.contains { $0 > ceiling * 3 / 4 })
        }
    }

    @Test func delay_honoursRetryAfterAsAFloor() {
        var generator = SeededGenerator(state: 1)
        for _ in 0..<100 {
            #expect(policy.delay(afterFailures: 0, retryAfter: .seconds(30), using: &generator) >= .seconds(30))
        }
    }

    @Test func delay_clampsAnAbsurdRetryAfter() {
        var generator = SeededGenerator(state: 1)
        let delay = policy.delay(afterFailures: 0, retryAfter: .seconds(86_400 * 30), using: &generator)
        #expect(delay == policy.maxRetryAfter)
    }

    @Test func classification_coversTheStatusesThatMatter() {
        #expect(ResponseClassification(status: 200) == .success)
        #expect(ResponseClassification(status: 204) == .success)
        #expect(ResponseClassification(status: 401) == .refreshCredentials)
        for status in [408, 425, 429, 500, 502, 503, 504] {
            #expect(ResponseClassification(status: status) == .retry, "\(status)")
        }
        for status in [400, 403, 404, 409, 410, 422, 501, 505] {
            #expect(ResponseClassification(status: status) == .permanent, "\(status)")
        }
    }

    @Test func retryAfter_readsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryAfter.parse("120") == .seconds(120))
        #expect(RetryAfter.parse(" 0 ") == .seconds(0))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:29:00 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == .seconds(0))
        #expect(RetryAfter.parse("-5") == nil)
        #expect(RetryAfter.parse("soon") == nil)
    }
}
