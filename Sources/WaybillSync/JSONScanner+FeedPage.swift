import Foundation
import Glibc
import WaybillCore
import WaybillStore

/// Reading a feed page and its changes (the scanner itself: JSONScanner.swift).
extension JSONScanner {
    mutating func page() throws(JSONScanError) -> FeedPage {
        var changes: [PulledChange] = []
        var arrayRange = 0..<0
        var nextCursor: String?
        var hasMore: Bool?
        var checksum: String?
        var head: String?
        try expect(UInt8(ascii: "{"))
        try members { (scanner: inout JSONScanner, key: JSONKey) throws(JSONScanError) in
            switch key {
            case "changes":
                // Twice, the checksum would cover only one of them.
                guard arrayRange.isEmpty else { throw scanner.fail("a page names changes twice") }
                let start = scanner.index
                try scanner.expect(UInt8(ascii: "["))
                try scanner.elements { (scanner: inout JSONScanner) throws(JSONScanError) in changes.append(try scanner.change()) }
                arrayRange = start..<scanner.index
            case "next_cursor":
                nextCursor = try scanner.string()
            case "has_more":
                hasMore = try scanner.bool()
            case "checksum":
                checksum = try scanner.string()
            case "head":
                head = try scanner.string()
            default:
                try scanner.skipValue()
            }
        }
        guard let nextCursor, let hasMore, let checksum else { throw fail("a page needs next_cursor, has_more and checksum") }
        let computed = FeedChecksum.of(UnsafeRawBufferPointer(rebasing: bytes[arrayRange]))
        return FeedPage(changes: changes, nextCursor: nextCursor, hasMore: hasMore, head: head, checksum: checksum, computedChecksum: computed)
    }

    /// The fields of a change's envelope, in the contract's order (the central API writes `data` last).
    static let envelopeKeys = JSONKeyTable(JSONKey.changeEnvelope)
    /// Where each field sits in ``envelopeKeys``.
    static let envelope = (
        entity: envelopeKeys.position("entity"), id: envelopeKeys.position("id"), version: envelopeKeys.position("version"),
        op: envelopeKeys.position("op"), data: envelopeKeys.position("data")
    )

    /// One change. Its envelope must be readable (or the page is not a page); what its `data` holds
    /// is checked here (the JSON grammar, ``FeedLimits``, the identifiers, an order's required fields
    /// and line quantities) and a change that fails is returned with its ``PulledChange/problem``,
    /// for the store to quarantine while the rest of the page applies.
    mutating func change() throws(JSONScanError) -> PulledChange {
        var entity: String?
        var id: String?
        var version: Int?
        var op: String?
        var dataRange: Range<Int>?
        var problem: String?
        var fields = IndexedFields()
        var digest: Int64?
        // An order's own id, read with its data.
        var dataID: String?
        var indexed = false
        var named: UInt8 = 0
        try expect(UInt8(ascii: "{"))
        let field = Self.envelope
        try members(Self.envelopeKeys) { (scanner: inout JSONScanner, key: JSONKey, envelope: Int?) throws(JSONScanError) in
            // A change that names a field twice is ambiguous (which one did the center mean?).
            if let envelope {
                if named & (1 << UInt8(envelope)) != 0 { problem = problem ?? "the change names \(key.text) twice" }
                named |= 1 << UInt8(envelope)
            }
            switch envelope {
            case field.entity: entity = try scanner.string()
            case field.id: id = try scanner.string()
            case field.version:
                scanner.skipWhitespace()
                let start = scanner.index
                do throws(JSONScanError) {
                    version = try scanner.integer()
                } catch {
                    guard !error.syntax else { throw error }
                    // Not JSON at all (`-`, `1.`, `tru`): the page is not a page.
                    scanner.index = start
                    _ = try scanner.skipCheckedValue()
                    // Valid JSON, yet no version a station can compare (1.5, "3", one past Int.max):
                    // the change is quarantined (as version 0, which never passes), the page goes on.
                    problem = problem ?? "its version is not a whole number (\(error.message))"
                    version = 0
                }
            case field.op: op = try scanner.string()
            case field.data:
                scanner.skipWhitespace()
                let start = scanner.index
                let earlier = problem
                do throws(JSONScanError) {
                    // The feed sends `entity` first: an indexed entity's data is then checked and read in one pass.
                    if let entity, Self.isIndexed(entity) {
                        (fields, digest, dataID) = try scanner.topLevelFields(withLines: entity == "order")
                        indexed = true
                    } else {
                        problem = try scanner.skipCheckedValue()
                    }
                    problem = earlier ?? problem
                } catch {
                    fields = IndexedFields()
                    digest = nil
                    dataID = nil
                    // Not JSON inside, yet the page goes on: find the value's end by its brackets and strings.
                    problem =
                        earlier
                        ?? (error.syntax ? "its data is not valid JSON (\(error.message) at byte \(error.offset - start) of it)" : error.message)
                    scanner.index = start
                    try scanner.skipValue()
                }
                dataRange = start..<scanner.index
            default: try scanner.skipValue()
            }
        }
        guard let entity, let id, let version, let op else { throw fail("a change needs entity, id, version and op") }
        if let dataRange {
            if problem == nil, dataRange.count > FeedLimits.maxDataBytes {
                problem = "its data is larger than \(FeedLimits.maxDataBytes) bytes"
            }
            if problem == nil, !indexed, Self.isIndexed(entity) {
                var inner = JSONScanner(UnsafeRawBufferPointer(rebasing: bytes[dataRange]))
                do throws(JSONScanError) {
                    (fields, digest, dataID) = try inner.topLevelFields(withLines: entity == "order")
                } catch {
                    problem = error.syntax ? "its data is not valid JSON (\(error.message))" : error.message
                }
            }
        }
        if problem == nil, let invalid = CentralIdentifier.problem(id) { problem = "its id \(invalid)" }
        if problem == nil, version < 1 { problem = "its version \(version) must be 1 or more" }
        if problem == nil, let dataID { problem = CentralValidation.mismatch(dataID, id) }
        if problem == nil, op == "upsert", dataRange.map({ bytes[$0.lowerBound] == UInt8(ascii: "n") }) ?? true {
            problem = "an upsert needs its data"
        }
        // Orders were checked as they were read; every other entity is checked by its contract type.
        if problem == nil, entity != "order", op == "upsert", let dataRange {
            problem = CentralValidation.problem(entity: entity, id: id, data: Data(UnsafeRawBufferPointer(rebasing: bytes[dataRange])))
        }
        let data = dataRange.map(text)
        return PulledChange(
            entity: entity,
            id: id,
            version: version,
            op: op,
            dataText: data?.isNull == true ? nil : data,
            fields: fields,
            linesDigest: digest,
            problem: problem
        )
    }
}
