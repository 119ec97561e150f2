/// When ``PrintSpooler/enqueue(_:labelID:format:printer:reprintOf:reprintReason:submission:)`` sends
/// a label to CUPS, and so when it returns. The label is spooled durably and recorded before it is
/// sent in every case, so it prints exactly once whichever is chosen.
public enum PrintSubmission: Sendable, Hashable {
    /// Send it now and return CUPS's answer: accepted, or held with the reason.
    case now
    /// Return at once; this spooler's sender takes the labels waiting, in enqueue order, makes them
    /// durable as a group (their spool files with one folder flush, their records in one commit) and
    /// then sends them, while the caller goes on. A crash before that group is durable loses labels
    /// that were never recorded nor sent: the caller must ask again for a label that has no print
    /// job, as the autopilot does at every round. ``PrintSpooler/flush()`` waits until every
    /// pipelined label was sent.
    case pipelined
    /// Only spool and record it; ``PrintSpooler/run()`` sends it, in this process or in the running
    /// agent (the CLI does this, so two processes never send the same job).
    case later
}
