public import Foundation
public import Logging
import Synchronization
import WaybillCore
public import WaybillStore

/// The label provider's live prices for the planner. Each parcel is asked for once and its answer
/// kept in the store for ``freshFor``. When the provider cannot answer (down, slow, its request
/// budget spent, or an answer none of whose services the planner knows) the box keeps the rate
/// table's price, and the provider is not asked again for ``pause``: after one failed ask, plans
/// do not wait on a provider that is down. A parcel the provider refuses (an address it cannot
/// rate) is the parcel's problem: it is priced from the table and not asked for again while the
/// refusal is fresh.
public final class LiveRates: Sendable {
    let provider: any LabelProvider
    let store: WaybillStore
    let logger: Logger
    /// How long an answer is used for the same parcel.
    public let freshFor: TimeInterval
    /// How long the provider is left alone after it failed to answer.
    public let pause: TimeInterval
    /// Whether the provider's failures are kept for `waybill status` (the agent's; not a CLI's).
    let recordsStatus: Bool
    /// The time now (a test's clock in tests).
    let now: @Sendable () -> Date
    private let state = Mutex(State())
    /// Serialises the writes of ``State/problem`` to the store, so the last write is the latest state.
    private let recording = Mutex(())

    /// What the live prices have been doing (`waybill status` reads the problem from the store).
    public struct State: Sendable, Equatable {
        /// Parcels priced by the provider (asked, or from a fresh earlier answer).
        public var priced = 0
        /// Parcels priced from the table because the provider could not price them.
        public var fellBack = 0
        /// The provider's last failure, and until when it is left alone.
        public var problem: String?
        public var pausedUntil: Date?
        /// Failures so far: an answer to a request sent before the last failure does not end its pause.
        var failures = 0
        /// The addresses of the parcels refused since one was last priced: past
        /// ``LiveRates/refusalsMeaningTheAccount`` the refusals are the account's (a wrong carrier,
        /// a wrong URL), not the parcels'.
        var refusedAddresses: Set<String> = []
    }

    /// Addresses refused in a row that mean the provider refuses the station's account, not them.
    static let refusalsMeaningTheAccount = 3

    public init(
        provider: any LabelProvider,
        store: WaybillStore,
        logger: Logger,
        freshFor: TimeInterval = 600,
        pause: TimeInterval = 60,
        recordsStatus: Bool = true,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.provider = provider
        self.store = store
        self.logger = logger
        self.freshFor = freshFor
        self.pause = pause
        self.recordsStatus = recordsStatus
        self.now = now
    }

    /// What the live prices have been doing.
    public var current: State { state.withLock { $0 } }

    /// The provider's prices of `parcel` by planner service, or nil when the table must price it
    /// (the provider has no prices of its own, cannot answer now, or refused the parcel).
    public func prices(of parcel: RateParcel) async -> [String: Double]? {
        let now = now()
        let key = parcel.key
        let account = provider.pricingAccount
        do {
            if let kept = try store.liveQuote(parcel: key, provider: account, since: now.addingTimeInterval(-freshFor)) {
                // An empty answer kept is a refusal of the parcel, fresh still.
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
        let answer: [String: Double]?
        do {
            answer = try await provider.prices(of: parcel)
        } catch  where error.code == .refused {
            keep([:], key: key, account: account, now: now)
            // The provider answered: an outage is over. Refusal after refusal is the account's problem.
            let changed = state.withLock { state -> Bool in
                if state.refusedAddresses.count < Self.refusalsMeaningTheAccount {
                    state.refusedAddresses.insert([parcel.shipTo.country, parcel.shipTo.region, parcel.shipTo.postalCode].joined(separator: " "))
                }
                if state.refusedAddresses.count >= Self.refusalsMeaningTheAccount {
                    state.failures += 1
                    state.pausedUntil = now.addingTimeInterval(pause)
                    state.problem =
                        "the provider refused parcels to \(state.refusedAddresses.count) addresses in a row (\(error.message)); check shipping.*"
                    return true
                }
                guard state.failures == before.failures, state.problem != nil else { return false }
                state.problem = nil
                state.pausedUntil = nil
                return true
            }
            if changed { recordStatus() }
            logger.notice(
                "The shipping provider refused to price a box; it is priced from the rate table",
                metadata: ["reason": "\(error.message)", "parcel": "\(key)"]
            )
            return fellBack()
        } catch {
            let until = now.addingTimeInterval(max(pause, error.retryAfter?.seconds ?? 0))
            state.withLock { state in
                state.failures += 1
                state.pausedUntil = until
                state.problem = error.message
            }
            recordStatus()
            logger.notice(
                "The shipping provider did not price a box; boxes are priced from the rate table for a while",
                metadata: ["reason": "\(error.message)", "provider.paused_until": "\(until)"]
            )
            return fellBack()
        }
        guard let prices = answer else { return nil }
        let cleared = state.withLock { state -> Bool in
            state.refusedAddresses = []
            guard state.failures == before.failures, state.problem != nil else { return false }
            state.problem = nil
            state.pausedUntil = nil
            return true
        }
        if cleared { recordStatus() }
        keep(prices, key: key, account: account, now: now)
        state.withLock { $0.priced += 1 }
        return prices
    }

    /// Ends a pause left by an earlier run (`waybill status` reads it from the store): called once,
    /// when the agent starts.
    public func clearRecordedProblem() {
        guard recordsStatus else { return }
        recordStatus()
    }

    private func keep(_ prices: [String: Double], key: String, account: String, now: Date) {
        do {
            try store.keepLiveQuote(prices, parcel: key, provider: account, now: now, forgetBefore: now.addingTimeInterval(-freshFor))
        } catch {
            logger.warning("Cannot keep live quotes; the parcel is asked for again next time", metadata: ["reason": "\(error)"])
        }
    }

    /// Writes the current problem (with when it happened) where `waybill status` reads it; nil
    /// clears it. Writers take turns and each writes the state as it is then, so the last write
    /// is never an older state.
    private func recordStatus() {
        guard recordsStatus else { return }
        recording.withLock { _ in
            let current = current
            let text = current.problem.map { problem in
                "\(ISO8601DateFormatter().string(from: now())): \(problem)"
                    + (current.pausedUntil.map { "; asked again after \(ISO8601DateFormatter().string(from: $0))" } ?? "")
            }
            do {
                try store.recordSyncState([.livePricesError: text])
            } catch {
                logger.warning("Cannot record the live prices' state", metadata: ["reason": "\(error)"])
            }
        }
    }

    private func fellBack() -> [String: Double]? {
        state.withLock { $0.fellBack += 1 }
        return nil
    }
}
