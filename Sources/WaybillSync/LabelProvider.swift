public import Foundation
public import WaybillCore
public import WaybillStore

/// Where a station buys its carrier labels: the central hub (``HubLabelProvider``) or a shipping
/// provider's API (``ShipEngineLabelProvider``). ``LabelPurchaser`` drives either the same way.
public protocol LabelProvider: Sendable {
    /// The provider's name in logs, in status and in the store (`hub`, `shipengine`).
    var name: String { get }

    /// Whether the station voids this provider's labels itself (``void(_:)``); the hub learns of
    /// voids through the `void_label` operation instead.
    var voidsDirectly: Bool { get }

    /// Whether the provider is the central API the station pushes to and pulls from (the hub): while
    /// a push to it fails, its label round waits for the next cycle too. A provider of its own (a
    /// shipping API) is asked anyway: a flaky store must not keep the bench from its labels.
    var isCentralAPI: Bool { get }

    /// Buys the label of one box: exactly once per `due.idempotencyKey`, whatever the retries,
    /// lost answers and restarts. `now` is the round's time.
    ///
    /// - Returns: the label, or the provider's refusal of the purchase as it is.
    /// - Throws: ``SyncError`` for failures worth retrying (no answer, 5xx, 429); the round stops.
    func buy(_ due: LabelPurchaseDue, now: Date) async throws(SyncError) -> LabelPurchaseOutcome

    /// Voids a label this provider sold.
    ///
    /// - Returns: whether the provider approved the void, and its message.
    /// - Throws: ``SyncError`` for failures worth retrying.
    func void(_ due: ProviderVoidDue) async throws(SyncError) -> ShipEngineAPI.VoidResult

    /// The provider's own prices of one parcel, by planner service (`SIM_GROUND`: 9.37), for the
    /// services the parcel names; a service the provider cannot carry it with is absent.
    ///
    /// - Returns: nil when the provider has no prices of its own (the replica's rate table is its
    ///   price list).
    /// - Throws: ``SyncError``: `.refused` when the provider refused this parcel as it is (an
    ///   address it cannot rate); anything else when the provider could not price it now.
    func prices(of parcel: RateParcel) async throws(SyncError) -> [String: Double]?

    /// Everything of the station's account that decides its prices besides the parcel (carrier,
    /// ship-from, service codes): kept answers are used only for the same account.
    var pricingAccount: String { get }

    /// Settles a purchase given up before its answer came (a relabel, an intercept): the label the
    /// provider may have sold under its key is looked up and voided. Asked only of providers that
    /// void directly (``voidsDirectly``).
    ///
    /// - Returns: what came of it.
    /// - Throws: ``SyncError`` when the provider could not say; the attempt is asked about again.
    func settle(_ abandoned: AbandonedLabelAttempt) async throws(SyncError) -> AbandonedLabelOutcome
}

/// What came of a purchase given up before its answer came, in words for people.
public enum AbandonedLabelOutcome: Sendable, Hashable {
    /// The provider knows no label under its key (yet: a request still being processed may sell one).
    case noneSold(String)
    /// The label it sold is void now (voided here, or before).
    case voided(String)
    /// The provider refused to void the label (a person must see to it).
    case voidRefused(String)

    public var text: String {
        switch self {
        case .noneSold(let text), .voided(let text), .voidRefused(let text): text
        }
    }
}

/// One box to price: where it goes, its outer dimensions and weight, and the planner's services.
public struct RateParcel: Sendable, Hashable {
    public var shipTo: CentralAPI.Address
    public var residential: Bool
    /// Outer dimensions, inches.
    public var dims: [Double]
    public var weightLb: Double
    /// The planner's services to price (the rate table's).
    public var services: [String]

    public init(shipTo: CentralAPI.Address, residential: Bool, dims: [Double], weightLb: Double, services: [String]) {
        self.shipTo = shipTo
        self.residential = residential
        self.dims = dims
        self.weightLb = weightLb
        self.services = services
    }

    /// Everything that decides the price, as one text: the cache key of its live quotes.
    public var key: String {
        [
            shipTo.country, shipTo.region, shipTo.postalCode, residential ? "residential" : "commercial",
            dims.map { String(format: "%.2f", $0) }.joined(separator: "x"), String(format: "%.3f", weightLb),
            services.sorted().joined(separator: ","),
        ].joined(separator: "|")
    }
}

/// What a label purchase came to.
public enum LabelPurchaseOutcome: Sendable {
    /// Bought (now or by an earlier attempt whose answer was lost): the label and its contract JSON,
    /// and the provider's own id of the label when the station's differs.
    case bought(CentralAPI.LabelData, json: String, providerLabelID: String? = nil)
    /// Refused as it is, in the provider's words; the purchase waits with backoff, shown to people.
    case refused(String)
    /// This box cannot be finished now (its label still processing, its document not downloadable,
    /// an unanswered purchase the provider may still be selling); it waits with backoff, asked again
    /// no later than `askAgainBy` when given, and the other boxes go on.
    case retryLater(String, askAgainBy: Date? = nil)
}
