/// A client's model of a provider's request bucket: `capacity` units that refill at `restoreRate`
/// units a second, a request costing some units. Booking a request before it is sent says how long
/// to wait so the provider never has to refuse it (ShipEngine: 200 requests a minute; Shopify's
/// GraphQL cost bucket). Pure: time comes in as seconds since any fixed origin.
public struct LeakyBucket: Sendable, Hashable {
    public let capacity: Double
    /// Units restored per second.
    public let restoreRate: Double
    private var available: Double
    private var updatedAt: Double?

    public init(capacity: Double, restoreRate: Double) {
        precondition(capacity > 0 && restoreRate > 0, "a bucket needs a capacity and a restore rate")
        self.capacity = capacity
        self.restoreRate = restoreRate
        self.available = capacity
    }

    /// Books `cost` units at `now` and returns how many seconds to wait before sending (0 when the
    /// bucket holds them already). Later bookings queue behind this one.
    public mutating func book(cost: Double = 1, now: Double) -> Double {
        refill(now: now)
        available -= min(cost, capacity)
        return available >= 0 ? 0 : -available / restoreRate
    }

    /// Adopts what the provider says is available now (its own count wins over ours).
    public mutating func observe(available reported: Double, now: Double) {
        refill(now: now)
        available = min(capacity, reported)
    }

    /// Units available at `now` (negative while bookings wait).
    public mutating func level(now: Double) -> Double {
        refill(now: now)
        return available
    }

    private mutating func refill(now: Double) {
        if let updatedAt, now > updatedAt { available = min(capacity, available + (now - updatedAt) * restoreRate) }
        if updatedAt.map({ now > $0 }) ?? true { updatedAt = now }
    }
}
