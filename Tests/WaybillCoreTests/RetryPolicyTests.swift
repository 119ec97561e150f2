import Foundation
import Testing
import WaybillCore

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
}
