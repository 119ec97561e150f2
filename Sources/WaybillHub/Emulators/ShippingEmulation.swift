import Foundation
import Synchronization
import WaybillCore

/// The ShipEngine emulator's settings (`waybill-hub serve --emulate shipping`).
public struct ShippingEmulation: Sendable {
    /// The API key clients must send in `API-Key`.
    public var apiKey: String
    /// The account's limit: requests a minute before 429 with Retry-After (ShipEngine's default is 200).
    public var requestsPerMinute: Int

    public init(apiKey: String, requestsPerMinute: Int = 200) {
        self.apiKey = apiKey
        self.requestsPerMinute = requestsPerMinute
    }
}

/// The emulator's running state: the account's request bucket and what it refused.
final class ShippingEmulator: Sendable {
    let settings: ShippingEmulation
    private let bucket: Mutex<LeakyBucket>
    private let origin = Date()
    private let counts = Mutex<[String: Int]>([:])

    init(settings: ShippingEmulation) {
        self.settings = settings
        let perMinute = Double(max(1, settings.requestsPerMinute))
        bucket = Mutex(LeakyBucket(capacity: perMinute, restoreRate: perMinute / 60))
    }

    /// Admits a request, or returns the whole seconds to wait (Retry-After) when the minute's
    /// requests are spent.
    func admit(now: Date = Date()) -> Int? {
        let at = now.timeIntervalSince(origin)
        let wait: Double? = bucket.withLock { bucket in
            let level = bucket.level(now: at)
            guard level >= 1 else { return (1 - level) / bucket.restoreRate }
            _ = bucket.book(now: at)
            return nil
        }
        count(wait == nil ? "admitted" : "throttled")
        return wait.map { max(1, Int($0.rounded(.up))) }
    }

    func count(_ name: String) {
        counts.withLock { $0[name, default: 0] += 1 }
    }

    /// Requests admitted, throttled (429), and the like, since the hub started.
    var requestCounts: [String: Int] { counts.withLock { $0 } }
}
