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

    /// Sent as booked, the requests of any minute never exceed what the provider allows in it.
    @Test func requestsSentAsBooked_neverExceedTheProvidersLimit() {
        let perMinute = 200.0
        var client = LeakyBucket(capacity: perMinute / 4, restoreRate: perMinute / 60)
        var provider = LeakyBucket(capacity: perMinute, restoreRate: perMinute / 60)
        var clock = 0.0
        var refused = 0
        for _ in 0..<1_000 {
            clock += client.book(now: clock)
            if provider.level(now: clock) >= 1 { _ = provider.book(now: clock) } else { refused += 1 }
        }
        #expect(refused == 0)
        // And not much slower than the limit: 1,000 requests at 200 a minute take about 4.8 minutes after the first burst.
        #expect(clock <= (1_000 - perMinute / 4) / (perMinute / 60) + 0.001)
    }

    @Test func theProvidersCount_winsOverTheClients() {
        var bucket = LeakyBucket(capacity: 1000, restoreRate: 50)
        bucket.observe(available: 100, now: 0)
        #expect(bucket.book(cost: 150, now: 0) == 1.0)
        bucket.observe(available: 5000, now: 0)
        #expect(bucket.level(now: 0) == 1000)
    }
}
