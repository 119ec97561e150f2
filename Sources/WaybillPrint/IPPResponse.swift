import CCups
import Glibc

/// An IPP response, freed when released. Only used on the CUPS thread.
final class IPPResponse {
    let ipp: OpaquePointer

    init(_ ipp: OpaquePointer) { self.ipp = ipp }

    func integer(_ name: String) -> Int? {
        guard let attribute = ippFindAttribute(ipp, name, IPP_TAG_ZERO) else { return nil }
        return Int(ippGetInteger(attribute, 0))
    }

    /// The groups of attributes after the operation group (one per printer or job), as name -> values.
    func groups(of tag: ipp_tag_t) -> [[String: [IPPValue]]] {
        var result: [[String: [IPPValue]]] = []
        var current: [String: [IPPValue]]?
        var attribute = ippFirstAttribute(ipp)
        while let found = attribute {
            if ippGetGroupTag(found) == tag, let name = ippGetName(found) {
                current = current ?? [:]
                current?[String(cString: name)] = IPPValue.values(of: found)
            } else if let finished = current {
                result.append(finished)
                current = nil
            }
            attribute = ippNextAttribute(ipp)
        }
        if let current { result.append(current) }
        return result
    }

    deinit { ippDelete(ipp) }
}
