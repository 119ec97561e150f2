/// The bytes a label is made of: ZPL for thermal label printers, PDF for the rest.
public enum LabelFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case zpl
    case pdf

    /// The spool file extension.
    public var fileExtension: String { rawValue }
}
