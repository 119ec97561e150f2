public import ArgumentParser

/// `waybill-bench`: benchmarks that print their ratio to a peer measured in the same run.
public struct BenchCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "waybill-bench",
        abstract: "Benchmarks of Waybill, each printed beside a peer measured in the same run (not tests).",
        subcommands: [
            ResyncBench.self, BacklogBench.self, CommitBench.self, IdleBench.self, PrintBench.self, PackBench.self, MistakesBench.self,
            ScanBench.self, ConvergenceBench.self, ChaosBench.self, LabelsBench.self, StorefrontBench.self, EncodingBench.self,
        ]
    )

    public init() {}
}
