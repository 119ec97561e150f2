extension CentralAPI {
    /// The payload of a `label_request` operation: the order is ready for its labels.
    public struct LabelRequestPayload: OperationPayload {
        /// How many boxes the order's plan holds (one label each).
        public var boxes: Int

        public init(boxes: Int) {
            self.boxes = boxes
        }
    }
}
