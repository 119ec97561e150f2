extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double { self / .seconds(1) }
}
