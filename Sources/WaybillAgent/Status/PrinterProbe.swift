import Synchronization
import WaybillPrint

/// Asks CUPS for each configured queue's state, giving up after a short timeout so `status`,
/// `doctor` and the agent's printer poll never hang on a CUPS server that does not answer.
struct PrinterProbe: Sendable {
    /// One queue as the probe found it.
    enum Outcome: Sendable {
        /// CUPS answered with the queue's state.
        case status(PrinterStatus)
        /// CUPS answered, with an error about this queue (missing, say).
        case failed(PrintError)
        /// CUPS did not answer within the timeout, or refused the connection.
        case unreachable(String)
    }

    let client: CupsClient
    let timeout: Duration

    init(server: String?, timeout: Duration = .seconds(3)) {
        client = CupsClient(server: server)
        self.timeout = timeout
    }

    init(client: CupsClient, timeout: Duration = .seconds(3)) {
        self.client = client
        self.timeout = timeout
    }

    /// The state of `printer`, or why it could not be read.
    func probe(_ printer: String) async -> Outcome {
        let client = client
        let timeout = timeout
        return await Self.firstOf(
            {
                do throws(PrintError) {
                    return .status(try await client.status(of: printer))
                } catch  where error.code == .serverUnreachable {
                    return .unreachable(error.message)
                } catch {
                    return .failed(error)
                }
            },
            orAfter: timeout,
            .unreachable("CUPS did not answer within \(timeout); check that cupsd runs and cups.server")
        )
    }

    /// Runs `work` and returns its result, or `fallback` when `timeout` passes first (the work is
    /// left to finish on its own: a blocked libcups call cannot be interrupted).
    static func firstOf(
        _ work: @escaping @Sendable () async -> Outcome,
        orAfter timeout: Duration,
        _ fallback: Outcome
    ) async -> Outcome {
        let once = Once()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let finish: @Sendable (Outcome) -> Void = { outcome in
                if once.claim() { continuation.resume(returning: outcome) }
            }
            let worker = Task { finish(await work()) }
            Task {
                try? await Task.sleep(for: timeout)
                finish(fallback)
                _ = worker
            }
        }
    }
}

/// True for the first caller of ``claim()`` only.
private final class Once: Sendable {
    private let claimed = Mutex(false)

    func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
