import Foundation
import Glibc
import WaybillCore
public import WaybillStore

/// Parses feed pages without Foundation's JSON decoder (too slow for full resyncs on this hardware).
public enum FeedPageParser {
    /// Parses a page; throws ``SyncError`` `.feedUnreadable` for anything that is not a well-formed page.
    public static func parse(_ bytes: [UInt8]) throws(SyncError) -> FeedPage {
        let result: Result<FeedPage, JSONScanError> = bytes.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer, source: bytes)
            do throws(JSONScanError) {
                return .success(try scanner.page())
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let page):
            return page
        case .failure(let error):
            throw SyncError(
                .feedUnreadable,
                "the changes page is not valid JSON (\(error.message) at byte \(error.offset)); it will be fetched again"
            )
        }
    }
}

extension FeedPageParser {
    /// The `next_cursor` and `has_more` a page names near its end, read without parsing the page
    /// (to start fetching the next page early); `nil` when they are not among its last 512 bytes.
    /// Only a hint: the parsed page is the truth.
    public static func nextCursor(atEndOf bytes: [UInt8]) -> (cursor: String, hasMore: Bool)? {
        let tail = String(decoding: bytes.suffix(512), as: UTF8.self)
        guard let key = tail.range(of: "\"next_cursor\":\"", options: .backwards),
            let end = tail[key.upperBound...].firstIndex(of: "\"")
        else { return nil }
        let cursor = String(tail[key.upperBound..<end])
        guard !cursor.contains("\\") else { return nil }
        if tail.contains("\"has_more\":true") { return (cursor, true) }
        if tail.contains("\"has_more\":false") { return (cursor, false) }
        return nil
    }
}

extension FeedPageParser {
    /// Checks one change as a pull would (the same grammar, limits and contract checks), from its
    /// stored parts: for `waybill quarantine retry`, after an upgrade or a fix of the rules. `data`
    /// is the change's JSON text (nil for a delete). The result's ``PulledChange/problem`` says what
    /// is still wrong, if anything.
    public static func recheck(entity: String, id: String, version: Int, op: String, data: String?) throws(SyncError) -> PulledChange {
        let change =
            "{\"entity\":\(JSONStringLiteral.quote(entity)),\"id\":\(JSONStringLiteral.quote(id)),\"version\":\(version),"
            + "\"op\":\(JSONStringLiteral.quote(op)),\"data\":\(data ?? "null")}"
        let changes = Array("[\(change)]".utf8)
        let page =
            Array("{\"changes\":".utf8) + changes
            + Array(",\"next_cursor\":\"0\",\"has_more\":false,\"checksum\":\"\(FeedChecksum.of(changes))\"}".utf8)
        guard let parsed = try parse(page).changes.first else { throw SyncError(.schema, "the change did not read back") }
        return parsed
    }
}
