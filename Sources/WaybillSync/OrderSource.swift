public import Foundation

/// Where a station's work comes from and where its operations go: the central hub's feed and ops
/// (``HubOrderSource``) or a storefront's fulfillment orders (``ShopifyOrderSource``).
/// ``SyncEngine`` drives either the same way: push what is due, then pull to the end.
public protocol OrderSource: Sendable {
    /// The source's name in logs and status (`hub`, `shopify`).
    var name: String { get }

    /// Sends the outbox's due operations, counting into `report` as it goes.
    func push(now: @escaping @Sendable () -> Date, into report: inout PushEngine.Report) async throws(SyncError)

    /// Brings the source's changes into the replica, each batch with the cursor after it.
    ///
    /// - Throws: ``SyncError``; `.cursorExpired` asks the engine for a client reset.
    func pull() async throws(SyncError) -> PullEngine.Report

    /// Seconds this station's clock is ahead of the source's, when it tells its time.
    var clockSkew: Double? { get }

    /// The store's feed name of the source's cursor (nil before a first pull).
    var feedName: String { get }
}

/// The central hub: the changes feed pulled by ``PullEngine``, the outbox pushed by ``PushEngine``.
public struct HubOrderSource: OrderSource {
    let client: CentralClient
    let pushEngine: PushEngine
    let pullEngine: PullEngine

    public init(client: CentralClient, push: PushEngine, pull: PullEngine) {
        self.client = client
        self.pushEngine = push
        self.pullEngine = pull
    }

    public var name: String { "hub" }
    public var clockSkew: Double? { client.clockSkew }
    public var feedName: String { "central" }

    public func push(now: @escaping @Sendable () -> Date, into report: inout PushEngine.Report) async throws(SyncError) {
        try await pushEngine.push(now: now, into: &report)
    }

    public func pull() async throws(SyncError) -> PullEngine.Report {
        try await pullEngine.pull()
    }
}
