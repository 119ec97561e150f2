/// When ``PrintSpooler/enqueue(_:labelID:format:printer:reprintOf:reprintReason:submission:)`` sends
/// a label to CUPS, and so when it returns. The label is spooled durably and recorded first in
/// every case, so it prints exactly once whichever is chosen.
public enum PrintSubmission: Sendable, Hashable {
    /// Send it now and return CUPS's answer: accepted, or held with the reason.
    case now
    /// Return once it is spooled and recorded; this spooler sends it right after, in enqueue order,
    /// while the caller goes on (the next label's spool write overlaps this one's IPP request).
    /// ``PrintSpooler/flush()`` waits until every pipelined label was sent.
    case pipelined
    /// Only spool and record it; ``PrintSpooler/run()`` sends it, in this process or in the running
    /// agent (the CLI does this, so two processes never send the same job).
    case later
}
