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
    /// Three pages are in hand at once: while one is applied, the next is parsed and the one after it
    /// is already being fetched (its cursor is read from the end of the page before, and checked once
    /// that page parsed), so a resync costs about the slowest of the transfer, the parsing and the
    /// SQLite work, not their sum. A page is only applied after the page before it and its cursor
    /// have committed.
    ///
    /// - Throws: ``SyncError``: `.cursorExpired` on 410 (the caller resets), `.schema` for a page that
    ///   does not parse or whose checksum does not match (discarded; nothing applied), others from the client.
    public func pull(maxPages: Int = .max) async throws(SyncError) -> Report {
        var report = Report()
        guard maxPages > 0 else { return report }
        var fetching: Task<[UInt8], any Error>? = fetch(after: (try? store.cursor()) ?? "0")
        var fetched = 1
        var parsed: FeedPage?
        defer { fetching?.cancel() }
        while let pending = fetching {
            let body: [UInt8]
            do throws(SyncError) {
                body = try await Self.value(of: pending)
            } catch {
                // The page in hand is good: keep it before reporting the failed fetch.
                if let last = parsed { try apply(last, to: &report) }
                throw error
            }
            fetching = nil
            // The next page is on its way while this one is parsed and the one before it applied.
            let expected = FeedPageParser.nextCursor(atEndOf: body)
            if let expected, expected.hasMore, fetched < maxPages {
                fetching = fetch(after: expected.cursor)
                fetched += 1
            }
            let parsing = Task { () throws(SyncError) -> FeedPage in try Self.checkedPage(body) }
            if let previous = parsed {
                do {
                    try apply(previous, to: &report)
                } catch {
                    parsing.cancel()
                    throw error
                }
            }
            let page: FeedPage
            do {
                page = try await parsing.value
            } catch let error as SyncError {
                throw error
            } catch {
                throw SyncError(.schema, "a changes page could not be read: \(error)")
            }
            parsed = page
            if expected?.cursor != page.nextCursor || expected?.hasMore != page.hasMore {
                // The end of the page misled the prefetch (or had no cursor to read): fetch what follows.
                fetching?.cancel()
                fetching = nil
                fetched = report.pages + 1
                if page.hasMore, fetched < maxPages {
                    fetching = fetch(after: page.nextCursor)
                    fetched += 1
                }
            }
        }
        if let last = parsed {
            try apply(last, to: &report)
            report.caughtUp = !last.hasMore
        }
        return report
    }

    /// Starts fetching the page that follows `cursor`.
    private func fetch(after cursor: String) -> Task<[UInt8], any Error> {
        Task { [client, pageSize] in try await client.send("GET", "/v1/changes?cursor=\(cursor)&limit=\(pageSize)").body }
    }

    /// The body a fetch brought; its error as a ``SyncError``.
    private static func value(of fetch: Task<[UInt8], any Error>) async throws(SyncError) -> [UInt8] {
        do {
            // The fetch is a task of its own: a cancelled pull (the agent stopping) cancels it too.
            return try await withTaskCancellationHandler {
                try await fetch.value
            } onCancel: {
                fetch.cancel()
            }
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError(.transport, "fetching a changes page failed: \(error)")
        }
    }

    private static func checkedPage(_ body: [UInt8]) throws(SyncError) -> FeedPage {
        let page = try FeedPageParser.parse(body)
        guard page.checksum == page.computedChecksum else {
            throw SyncError(
                .feedUnreadable,
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
