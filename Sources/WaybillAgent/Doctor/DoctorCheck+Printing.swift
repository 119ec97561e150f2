extension DoctorCheck {
    /// The printing checks: CUPS reachable and each configured queue (`printers.label`,
    /// `printers.document`) present and accepting jobs.
    ///
    /// The seam for the print pipeline: it returns its checks here (one ``DoctorCheck`` per fact,
    /// named `cups reachable`, `printer NAME`), after the hub's. Until then there are none.
    static func printing(for configuration: StationConfiguration) async -> [DoctorCheck] {
        []
    }
}
