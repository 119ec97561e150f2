import Synchronization

/// Entities whose operations the hub refuses as a whole request (422), the way a storefront API
/// refuses a mutation that carries one input it will not take: a test control, set through
/// `PUT /admin/ops/refuse`, kept in memory only.
final class OperationRefusals: Sendable {
    private let entities = Mutex<Set<String>>([])

    /// Replaces the refused entities.
    func replace(with ids: Set<String>) {
        entities.withLock { $0 = ids }
    }

    /// The first of `entityIDs` the hub refuses, if any.
    func refused(among entityIDs: some Sequence<String>) -> String? {
        entities.withLock { refused in entityIDs.first { refused.contains($0) } }
    }
}
