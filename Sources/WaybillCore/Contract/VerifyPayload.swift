/// The payload of a `verify` operation: one gesture of a packer at the bench and what it did.
extension CentralAPI {
    public struct VerifyPayload: OperationPayload {
        /// The box open when the gesture happened; nil once every box was verified.
        public var boxNo: Int?
        /// `scan` or `hand` (see ``PackGesture/kind``).
        public var gesture: String
        /// The scanned code, or the SKU confirmed by hand.
        public var text: String
        /// The SKU the gesture counted or was refused for, when one was recognised.
        public var sku: String?
        /// Units counted (0 when refused).
        public var units: Int
        /// ``PackOutcome/code``.
        public var outcome: String
        /// Who packed.
        public var packer: String

        public init(boxNo: Int?, gesture: String, text: String, sku: String?, units: Int, outcome: String, packer: String) {
            self.boxNo = boxNo
            self.gesture = gesture
            self.text = text
            self.sku = sku
            self.units = units
            self.outcome = outcome
            self.packer = packer
        }

        enum CodingKeys: String, CodingKey {
            case boxNo = "box_no"
            case gesture, text, sku, units, outcome, packer
        }
    }
}
