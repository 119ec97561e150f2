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

/// The emulator's running state: the account's requests of the last minute and what it refused.
final class ShippingEmulator: Sendable {
    let settings: ShippingEmulation
    /// When each request of the last 60 seconds was admitted, oldest first.
    private let window = Mutex<[Date]>([])
    private let counts = Mutex<[String: Int]>([:])
    /// What the carrier charges now against the rate model, by service code (`sim_ground`: 1.5).
    private let priceFactors = Mutex<[String: Double]>([:])

    init(settings: ShippingEmulation) {
        self.settings = settings
    }

    /// Admits a request, or returns the whole seconds to wait (Retry-After) when the last 60
    /// seconds hold the account's limit already.
    func admit(now: Date = Date()) -> Int? {
        let limit = max(1, settings.requestsPerMinute)
        let wait: Double? = window.withLock { window in
            window.removeAll { now.timeIntervalSince($0) >= 60 }
            guard window.count < limit else { return 60 - now.timeIntervalSince(window[0]) }
            window.append(now)
            return nil
        }
        count(wait == nil ? "admitted" : "throttled")
        return wait.map { max(1, Int($0.rounded(.up))) }
    }

    func count(_ name: String) {
        counts.withLock { $0[name, default: 0] += 1 }
    }

    /// The carrier's price now of a parcel the rate model prices at `modelled`, in cents.
    func price(_ modelled: Double, serviceCode: String) -> Double {
        let factor = priceFactors.withLock { $0[serviceCode.lowercased()] } ?? 1
        return (modelled * factor * 100).rounded() / 100
    }

    /// The carrier changed its prices (a surcharge, a new contract): each service's factor against
    /// the rate model, those not named back at 1.
    func setPriceFactors(_ factors: [String: Double]) {
        priceFactors.withLock { $0 = Dictionary(uniqueKeysWithValues: factors.map { ($0.key.lowercased(), $0.value) }) }
    }

    /// Requests admitted, throttled (429), and the like, since the hub started.
    var requestCounts: [String: Int] { counts.withLock { $0 } }
}
