/// Where one print job of a label stands.
///
/// `spooled → submitted → printed`, or `held` (a printer fault, retried) or `failed` (given up, with a reason).
public enum PrintJobState: String, Sendable, Hashable, CaseIterable, Codable {
    case spooled
    case submitted
    case printed
    case held
    case failed
}
