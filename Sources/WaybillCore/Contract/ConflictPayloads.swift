extension CentralAPI {
    /// The payload of a `resolve_conflict` operation: which side a person kept, under which rule, and why.
    public struct ResolveConflictPayload: OperationPayload {
        /// The station's conflict number.
        public var conflictID: Int64
        /// `local` or `central`: the side the person kept.
        public var keep: String
        /// The rule that raised the conflict.
        public var rule: String
        /// What the person wrote, if anything.
        public var note: String?

        public init(conflictID: Int64, keep: String, rule: String, note: String?) {
            self.conflictID = conflictID
            self.keep = keep
            self.rule = rule
            self.note = note
        }

        enum CodingKeys: String, CodingKey {
            case conflictID = "conflict_id"
            case keep, rule, note
        }
    }

    /// The payload of a `void_label` operation: the order's carrier labels are void because a
    /// conflict rule decided so (an address edit, an intercept).
    public struct VoidLabelPayload: OperationPayload {
        public var conflictID: Int64
        public var rule: String

        public init(conflictID: Int64, rule: String) {
            self.conflictID = conflictID
            self.rule = rule
        }

        enum CodingKeys: String, CodingKey {
            case conflictID = "conflict_id"
            case rule
        }
    }
}
