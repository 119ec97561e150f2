import Foundation
public import Logging
import WaybillCore
public import WaybillStore

/// Pulls the changes feed into the replica: each page and the cursor after it commit together.
public struct PullEngine: Sendable {
    public let client: CentralClient
    public let store: WaybillStore
    public let pageSize: Int
    let logger: Logger

    public init(client: CentralClient, store: WaybillStore, pageSize: Int = 2000, logger: Logger) {
        self.client = client
        self.store = store
        self.pageSize = pageSize
        self.logger = logger
    }

    /// What one pull did.
    public struct Report: Sendable {
        public var pages = 0
        public var outcome = PullOutcome()
        public var caughtUp = false
        /// How many feed positions the cursor is behind the feed's head, when the central API tells its head.
        public var lag: Int?
    }

    /// Pulls pages until the feed has no more (or `maxPages`).
    ///
    /// - Throws: ``SyncError``: `.cursorExpired` on 410 (the caller resets), `.schema` for a page that
    ///   does not parse or whose checksum does not match (discarded; nothing applied), others from the client.
    public func pull(maxPages: Int = .max) async throws(SyncError) -> Report {
        var report = Report()
        var cursor = (try? store.cursor()) ?? "0"
        while report.pages < maxPages {
            let response = try await client.send("GET", "/v1/changes?cursor=\(cursor)&limit=\(pageSize)")
            let page = try FeedPageParser.parse(response.body)
            guard page.checksum == page.computedChecksum else {
                throw SyncError(
                    .schema,
                    "a changes page failed its checksum (declared \(page.checksum), got \(page.computedChecksum)); discarded, it will be fetched again"
                )
            }
            let outcome: PullOutcome
            do {
                outcome = try store.applyPulledBatch(page.changes, cursor: page.nextCursor)
            } catch {
                throw SyncError(.schema, "could not apply a pulled page: \(error)")
            }
            report.pages += 1
            report.outcome.applied += outcome.applied
            report.outcome.stale += outcome.stale
            report.outcome.quarantined += outcome.quarantined
            report.outcome.conflicts += outcome.conflicts
            if outcome.quarantined > 0 {
                logger.warning("Quarantined changes this station cannot read", metadata: ["sync.quarantined": "\(outcome.quarantined)"])
            }
            for rule in outcome.conflicts {
                logger.notice("Conflict", metadata: ["conflict.rule": "\(rule.rawValue)", "conflict.needs_person": "\(rule.needsPerson)"])
            }
            cursor = page.nextCursor
            report.lag = Self.distance(from: page.nextCursor, to: page.head)
            if !page.hasMore {
                report.caughtUp = true
                break
            }
        }
        return report
    }

    /// The distance between two `G.S` positions of one generation, or nil.
    public static func distance(from cursor: String, to head: String?) -> Int? {
        func seq(_ text: String) -> (Substring, Int)? {
            let parts = text.split(separator: ".")
            guard parts.count == 2, let value = Int(parts[1]) else { return nil }
            return (parts[0], value)
        }
        guard let head, let (generation, to) = seq(head), let (cursorGeneration, from) = seq(cursor), generation == cursorGeneration else {
            return nil
        }
        return max(0, to - from)
    }
}
