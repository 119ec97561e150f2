public import Foundation
public import Logging
import Synchronization
import WaybillCore
public import WaybillStore

/// The label provider's live prices for the planner. Each parcel is asked for once and its answer
/// kept in the store for ``freshFor``; when the provider cannot answer (down, slow, its request
/// budget spent, or refusing the parcel) the box keeps the rate table's price, and after a failure
/// the provider is not asked again for ``pause``: a packer never waits on a provider that is down.
public final class LiveRates: Sendable {
    let provider: any LabelProvider
    let store: WaybillStore
    let logger: Logger
    /// How long an answer is used for the same parcel.
    public let freshFor: TimeInterval
    /// How long the provider is left alone after it failed to answer.
    public let pause: TimeInterval
    private let state = Mutex(State())

    /// What the live prices have been doing, for status and logs.
    public struct State: Sendable, Equatable {
        /// Parcels priced by the provider (asked, or from a fresh earlier answer).
        public var priced = 0
        /// Parcels priced from the table because the provider could not price them.
        public var fellBack = 0
        /// The provider's last failure, and when it may be asked again.
        public var problem: String?
        public var pausedUntil: Date?
        /// Failures so far: an answer to a request sent before the last failure does not end its pause.
        var failures = 0
        /// Whether the store holds a problem for `waybill status` (unknown at start: an earlier run's).
        var recorded: Bool?
    }

    public init(provider: any LabelProvider, store: WaybillStore, logger: Logger, freshFor: TimeInterval = 600, pause: TimeInterval = 60) {
        self.provider = provider
        self.store = store
        self.logger = logger
        self.freshFor = freshFor
        self.pause = pause
    }

    /// What the live prices have been doing.
    public var current: State { state.withLock { $0 } }

    /// The provider's prices of `parcel` by planner service, or nil when the table must price it
    /// (the provider has no prices of its own, cannot answer now, or refused the parcel).
    public func prices(of parcel: RateParcel, now: Date = Date()) async -> [String: Double]? {
        let key = parcel.key
        do {
            if let kept = try store.liveQuote(parcel: key, provider: provider.name, since: now.addingTimeInterval(-freshFor)) {
                guard !kept.isEmpty else { return fellBack() }
                state.withLock { $0.priced += 1 }
                return kept
            }
        } catch {
            logger.warning("Cannot read the live quotes; the box is priced from the rate table", metadata: ["reason": "\(error)"])
            return fellBack()
        }
        let before = current
        if let until = before.pausedUntil, until > now { return fellBack() }
        let prices: [String: Double]?
        do {
            prices = try await provider.prices(of: parcel)
        } catch {
            // A refusal is this parcel's (an address the provider cannot rate); anything else is the provider's.
            let pausing = error.code != .refused
            let changed = state.withLock { state -> Bool in
                state.failures += 1
                if pausing { state.pausedUntil = now.addingTimeInterval(max(pause, error.retryAfter?.seconds ?? 0)) }
                defer {
                    state.problem = error.message
                    state.recorded = true
                }
                return state.problem != error.message || state.recorded != true
            }
            if changed { record(error.message) }
            logger.notice(
                "The shipping provider did not price a box; it is priced from the rate table",
                metadata: ["reason": "\(error.message)", "provider.paused": "\(pausing ? "\(Int(pause))s" : "no")"]
            )
            return fellBack()
        }
        guard let prices else { return nil }
        let cleared = state.withLock { state -> Bool in
            guard state.failures == before.failures, state.problem != nil || state.recorded != false else { return false }
            state.problem = nil
            state.pausedUntil = nil
            state.recorded = false
            return true
        }
        if cleared { record(nil) }
        do {
            try store.keepLiveQuote(prices, parcel: key, provider: provider.name, now: now, forgetBefore: now.addingTimeInterval(-freshFor))
        } catch {
            logger.warning("Cannot keep live quotes; the parcel is asked for again next time", metadata: ["reason": "\(error)"])
        }
        guard !prices.isEmpty else { return fellBack() }
        state.withLock { $0.priced += 1 }
        return prices
    }

    /// Keeps why live prices are not used now where `waybill status` reads it.
    private func record(_ problem: String?) {
        do {
            try store.recordSyncState([.livePricesError: problem])
        } catch {
            logger.warning("Cannot record the live prices' state", metadata: ["reason": "\(error)"])
        }
    }

    private func fellBack() -> [String: Double]? {
        state.withLock { $0.fellBack += 1 }
        return nil
    }
}
