/// The version `waybill --version` prints and the agent reports.
public enum WaybillVersion {
    public static let current = "0.1.0"
}
