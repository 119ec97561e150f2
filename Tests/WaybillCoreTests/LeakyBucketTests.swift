import Testing
import WaybillCore

/// The client's model of a provider's request bucket paces requests so the provider need not refuse them.
@Suite struct LeakyBucketTests {
    @Test func aFullBucket_sendsAtOnce_thenPacesAtTheRestoreRate() {
        var bucket = LeakyBucket(capacity: 3, restoreRate: 2)
        #expect((0..<3).map { _ in bucket.book(now: 10) } == [0, 0, 0])
        // Each further request waits half a second more (2 a second), queued behind the one before.
        #expect(bucket.book(now: 10) == 0.5)
        #expect(bucket.book(now: 10) == 1.0)
        // Time restores units, never above the capacity.
        #expect(bucket.book(now: 100) == 0)
        #expect(bucket.level(now: 100) == 2)
    }

    /// Paced as ShipEngine's connector paces (a twentieth of the limit at once, the rest spread over
    /// the minute), no 60 seconds ever hold more requests than the limit.
    @Test func requestsSentAsBooked_neverExceedTheLimitInAnyMinute() {
        let limit = 200.0
        let burst = limit / 20
        var client = LeakyBucket(capacity: burst, restoreRate: (limit - burst) / 60)
        var clock = 0.0
        var sent: [Double] = []
        for _ in 0..<1_000 {
            clock += client.book(now: clock)
            sent.append(clock)
        }
        // The most requests in any 60-second window (each window starting at a request).
        var most = 0
        var start = 0
        for end in sent.indices {
            while sent[end] - sent[start] >= 60 { start += 1 }
            most = max(most, end - start + 1)
        }
        #expect(most <= Int(limit), "\(most) requests in one minute")
        // And not much slower than the limit: after the first burst, (limit - burst) a minute.
        #expect(clock <= (1_000 - burst) / ((limit - burst) / 60) + 0.001)
    }

    @Test func theProvidersCount_winsOverTheClients() {
        var bucket = LeakyBucket(capacity: 1000, restoreRate: 50)
        bucket.observe(available: 100, now: 0)
        #expect(bucket.book(cost: 150, now: 0) == 1.0)
        bucket.observe(available: 5000, now: 0)
        #expect(bucket.level(now: 0) == 1000)
    }
}
