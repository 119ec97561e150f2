import Foundation
import Synchronization
import WaybillCore

/// The Shopify emulator's settings (`waybill-hub serve --emulate storefront`).
public struct StorefrontEmulation: Sendable {
    /// The access token clients must send in `X-Shopify-Access-Token`.
    public var accessToken: String
    /// The app's bucket of query cost points (Shopify: 1,000 on the standard plans).
    public var bucketSize: Double
    /// Points restored a second (Shopify: 100 on Standard, 1,000 on Plus).
    public var restoreRate: Double

    public init(accessToken: String, bucketSize: Double = 1000, restoreRate: Double = 100) {
        self.accessToken = accessToken
        self.bucketSize = bucketSize
        self.restoreRate = restoreRate
    }
}

/// The emulator's running state: the app's cost bucket and what it served.
final class StorefrontEmulator: Sendable {
    let settings: StorefrontEmulation
    private let bucket: Mutex<LeakyBucket>
    private let origin = ContinuousClock.now
    private let counts = Mutex<[String: Double]>([:])

    init(settings: StorefrontEmulation) {
        self.settings = settings
        bucket = Mutex(LeakyBucket(capacity: settings.bucketSize, restoreRate: settings.restoreRate))
    }

    private var now: Double { (ContinuousClock.now - origin) / .seconds(1) }

    /// Takes `requested` points for a query about to run; nil (throttled) when the bucket holds
    /// fewer. Returns what is left.
    func take(_ requested: Double) -> Double? {
        let at = now
        let left: Double? = bucket.withLock { bucket in
            guard bucket.level(now: at) >= requested else { return nil }
            _ = bucket.book(cost: requested, now: at)
            return bucket.level(now: at)
        }
        count(left == nil ? "throttled" : "requests")
        return left
    }

    /// Gives back what a query was charged beyond its actual cost; returns the bucket's level.
    func refund(_ points: Double) -> Double {
        let at = now
        return bucket.withLock { bucket in
            bucket.observe(available: bucket.level(now: at) + max(0, points), now: at)
            return bucket.level(now: at)
        }
    }

    /// The bucket's level now.
    var available: Double {
        let at = now
        return bucket.withLock { $0.level(now: at) }
    }

    func count(_ name: String, _ amount: Double = 1) {
        counts.withLock { $0[name, default: 0] += amount }
    }

    /// Requests run, throttled, and points spent, since the hub started.
    var requestCounts: [String: Double] { counts.withLock { $0 } }
}
