import Foundation
public import Logging
import WaybillCore
import WaybillHTTP
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
    /// While one page is applied the next is already being fetched and parsed (its cursor is known once
    /// the page parsed), so a resync costs about the larger of the transfer and the SQLite work, not their sum.
    /// A prefetched page is only applied after the page before it and its cursor have committed.
    ///
    /// - Throws: ``SyncError``: `.cursorExpired` on 410 (the caller resets), `.schema` for a page that
    ///   does not parse or whose checksum does not match (discarded; nothing applied), others from the client.
    public func pull(maxPages: Int = .max) async throws(SyncError) -> Report {
        var report = Report()
        guard maxPages > 0 else { return report }
        let cursor = (try? store.cursor()) ?? "0"
        var page = try await fetchPage(after: cursor)
        while true {
            let next = page
            let prefetch: Task<FeedPage, any Error>? =
                page.hasMore && report.pages + 1 < maxPages
                ? Task { [self] () async throws(SyncError) -> FeedPage in try await fetchPage(after: next.nextCursor) } : nil
            do {
                try apply(page, to: &report)
            } catch {
                prefetch?.cancel()
                throw error
            }
            guard let prefetch else {
                report.caughtUp = !page.hasMore
                return report
            }
            do {
                page = try await prefetch.value
            } catch let error as SyncError {
                throw error
            } catch {
                throw SyncError(.transport, "fetching the next changes page failed: \(error)")
            }
        }
    }

    /// Fetches, parses and checks the page that follows `cursor`.
    private func fetchPage(after cursor: String) async throws(SyncError) -> FeedPage {
        let response = try await client.send("GET", "/v1/changes?cursor=\(cursor)&limit=\(pageSize)")
        return try Self.checkedPage(response.body)
    }

    private static func checkedPage(_ body: [UInt8]) throws(SyncError) -> FeedPage {
        let page = try FeedPageParser.parse(body)
        guard page.checksum == page.computedChecksum else {
            throw SyncError(
                .schema,
                "a changes page failed its checksum (declared \(page.checksum), got \(page.computedChecksum)); discarded, it will be fetched again"
            )
        }
        return page
    }

    /// Applies a page and its cursor in one transaction, and adds what it did to the report.
    private func apply(_ page: FeedPage, to report: inout Report) throws(SyncError) {
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
        report.lag = Self.distance(from: page.nextCursor, to: page.head)
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
