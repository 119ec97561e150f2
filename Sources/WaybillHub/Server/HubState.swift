import Foundation
import Logging
import WaybillCore
import WaybillHubStore

/// Everything the hub's routes share.
struct HubState: Sendable {
    let store: HubStore
    let rates: RateModel
    let tokens: AccessTokens
    let clock: HubClock
    let faults: FaultInjector
    /// Entities whose operations are refused as a whole request (`PUT /admin/ops/refuse`).
    let refusals = OperationRefusals()
    let logger: Logger
    /// The ShipEngine emulator, when the hub emulates a shipping provider.
    let shipping: ShippingEmulator?
    /// The Shopify emulator, when the hub emulates a storefront.
    let storefront: StorefrontEmulator?
    /// How long refresh tokens live.
    let refreshLifetime: TimeInterval = 30 * 86_400

    init(
        store: HubStore,
        faults: FaultPlan,
        accessTokenLifetime: TimeInterval,
        logger: Logger,
        shipping: ShippingEmulation? = nil,
        storefront: StorefrontEmulation? = nil
    ) throws {
        self.store = store
        rates = try HubStore.rateModel()
        tokens = AccessTokens(keyBytes: try store.signingKey(), lifetime: accessTokenLifetime)
        clock = HubClock()
        self.faults = FaultInjector(plan: faults)
        self.logger = logger
        self.shipping = shipping.map(ShippingEmulator.init)
        self.storefront = storefront.map(StorefrontEmulator.init)
    }
}
