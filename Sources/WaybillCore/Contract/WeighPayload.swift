/// The payload of a `weigh` operation: a verified box on the scale (or weighed by hand), the verdict
/// against what it should weigh, and a supervisor's override with its reason.
extension CentralAPI {
    public struct WeighPayload: OperationPayload {
        public var boxNo: Int
        public var measuredLb: Double
        public var expectedLb: Double
        public var allowedLb: Double
        /// `scale` or `manual`.
        public var source: String
        /// `within` or `mismatch`.
        public var verdict: String
        /// Set when a supervisor accepted a mismatch.
        public var overrideReason: String?
        public var packer: String

        public init(
            boxNo: Int,
            measuredLb: Double,
            expectedLb: Double,
            allowedLb: Double,
            source: String,
            verdict: String,
            overrideReason: String?,
            packer: String
        ) {
            self.boxNo = boxNo
            self.measuredLb = measuredLb
            self.expectedLb = expectedLb
            self.allowedLb = allowedLb
            self.source = source
            self.verdict = verdict
            self.overrideReason = overrideReason
            self.packer = packer
        }

        enum CodingKeys: String, CodingKey {
            case boxNo = "box_no"
            case measuredLb = "measured_lb"
            case expectedLb = "expected_lb"
            case allowedLb = "allowed_lb"
            case source, verdict
            case overrideReason = "override_reason"
            case packer
        }
    }
}
