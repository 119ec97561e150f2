import WaybillCore

/// Following open jobs (``PrintSpooler/run()`` calls ``PrintSpooler/pass()``): reconciliation after a
/// restart (a label that reached CUPS before its answer was recorded is found by name, not sent
/// again), resubmission of due jobs, and CUPS's progress recorded until each job has printed.
extension PrintSpooler {
    /// One look at every open job: submit what is due, follow what CUPS has.
    /// - Returns: whether there were open jobs (or they could not be read).
    @discardableResult
    public func pass() async -> Bool {
        let jobs: [PrintJobRecord]
        do {
            jobs = try await ledger.openJobs()
        } catch {
            logger.error("Cannot read print jobs", metadata: ["error": "\(error)"])
            return true
        }
        let reconciling = needsReconciliation
        needsReconciliation = false
        // Each printer's CUPS jobs, listed once per pass for every label looked up by name: after a
        // crash with many labels in the air, one listing (which can cost a request per old job)
        // serves them all instead of one listing per label.
        var listings: [String: Listing] = [:]
        for listed in jobs where !inFlight.contains(listed.labelID) {
            inFlight.insert(listed.labelID)
            do {
                // Read it again: an enqueue may have moved it on since the list was read.
                if let job = try await ledger.job(labelID: listed.labelID), job.isOpen {
                    try await advance(job, reconciling: reconciling, listings: &listings)
                }
            } catch {
                logger.error("Cannot record a print job", metadata: ["label.id": "\(listed.labelID)", "error": "\(error)"])
            }
            inFlight.remove(listed.labelID)
        }
        return !jobs.isEmpty
    }

    /// A printer's jobs as CUPS listed them (or why it could not), and when it was asked.
    struct Listing {
        let jobs: Result<[CupsJob], PrintError>
        let readAt: Double

        /// The latest job CUPS has under a label id (an aborted one does not count).
        func job(named labelID: String) throws(PrintError) -> CupsJob? {
            try jobs.get().last { $0.name == labelID && $0.state != .aborted }
        }
    }

    /// `printer`'s listing, read once per pass and kept in `listings` for the pass's other labels.
    private func cachedListing(_ printer: String, _ listings: inout [String: Listing]) async -> Listing {
        if let read = listings[printer] { return read }
        let listing = await list(printer)
        listings[printer] = listing
        return listing
    }

    /// Whether a job not in `listing` may still be landing there (its last request went out less than
    /// the landing grace before the list was read); if so it is looked at again within a second.
    private func waitedForLanding(_ job: PrintJobRecord, _ listing: Listing) async throws(PrintError) -> Bool {
        let grace = configuration.landingGrace / .seconds(1)
        guard listing.readAt - job.updatedAt < grace else { return false }
        var waiting = job
        waiting.nextAttemptAt = min(job.updatedAt + grace, now() + 1)
        try await ledger.save(waiting)
        return true
    }

    private func list(_ printer: String) async -> Listing {
        let time = now()
        do {
            return Listing(jobs: .success(try await client.jobs(printer: printer)), readAt: time)
        } catch {
            return Listing(jobs: .failure(error), readAt: time)
        }
    }

    /// Moves one open job along; `listings` holds the CUPS job lists this pass already read.
    private func advance(
        _ job: PrintJobRecord,
        reconciling: Bool,
        listings: inout [String: Listing]
    ) async throws(PrintError) {
        if let withdrawal = job.withdrawal {
            try await withdraw(job, because: withdrawal, listings: &listings)
            return
        }
        if let cupsJobID = job.cupsJobID {
            try await follow(job, cupsJobID: cupsJobID)
            return
        }
        if !reconciling, let next = job.nextAttemptAt, next > now() { return }
        if job.attempts > 0 {
            // It may have reached CUPS before its answer (or our record of it) was lost: look by name.
            let listing = await cachedListing(job.printer, &listings)
            do {
                if let found = try listing.job(named: job.labelID) {
                    var adopted = job
                    adopted.cupsJobID = found.id
                    adopted.state = .submitted
                    adopted.reason = "found in CUPS as job \(found.id) (sent before a restart); not sent again"
                    try await save(adopted)
                    logger.notice("Print job found in CUPS", metadata: ["label.id": "\(job.labelID)", "cups.job": "\(found.id)"])
                    return
                }
            } catch {
                try await hold(job, error)
                return
            }
            // Not in CUPS yet, but the last request may still be landing: look again before resending.
            if try await waitedForLanding(job, listing) { return }
        }
        let bytes: [UInt8]
        do {
            bytes = try readSpool(job)
        } catch {
            var failed = job
            failed.state = .failed
            failed.reason = error.message
            try await save(failed)
            return
        }
        _ = try await submit(job, bytes: bytes)
    }

    /// A job the conflict rules withdrew (its label voided, its order stopped): cancelled in CUPS if
    /// it got there (found by name when its answer was lost, after the same landing grace a resend
    /// waits), then failed with the rules' reason. One CUPS printed before the cancel arrived is
    /// recorded printed; one CUPS still has after a refused cancel is held with CUPS's words; when
    /// CUPS cannot be asked, the job is held and asked again (a lookup by name after its backoff).
    private func withdraw(_ job: PrintJobRecord, because withdrawal: String, listings: inout [String: Listing]) async throws(PrintError) {
        do {
            var cupsJobID = job.cupsJobID
            if cupsJobID == nil, job.attempts > 0 {
                // Looking it up lists the whole queue: after a failure, not before its backoff.
                if let next = job.nextAttemptAt, next > now() { return }
                let listing = await cachedListing(job.printer, &listings)
                do {
                    cupsJobID = try listing.job(named: job.labelID)?.id
                } catch  where error.code == .queueMissing {
                    // No queue, no job: nothing of it can print.
                }
                // Not in CUPS, but a request that carried it may still be landing: look again first.
                if cupsJobID == nil, try await waitedForLanding(job, listing) { return }
            }
            var next = job
            next.reason = withdrawal
            if let cupsJobID {
                // A job CUPS is printing may be partly on paper when the cancel arrives: said so below.
                let wasPrinting = try await client.job(cupsJobID)?.state == .processing
                var refusal: PrintError?
                do {
                    try await client.cancel(cupsJobID)
                } catch  where error.code != .serverUnreachable {
                    // Refused: CUPS may have finished with it; its state below says.
                    refusal = error
                }
                if let found = try await client.job(cupsJobID) {
                    if found.state == .completed {
                        next.cupsJobID = cupsJobID
                        next.state = .printed
                        next.reason = "printed before its withdrawal reached CUPS (\(withdrawal))"
                        try await save(next)
                        return
                    }
                    guard found.state.isFinal else {
                        // Still in CUPS: a refused cancel is held for a person; otherwise look again next pass.
                        if let refusal { _ = try await hold(job, refusal) }
                        return
                    }
                    next.reason =
                        withdrawal + "; job \(cupsJobID) cancelled in CUPS"
                        + (wasPrinting ? " while it was printing: part of it may have printed, check the printer" : "")
                } else {
                    next.reason = withdrawal + "; CUPS no longer knows job \(cupsJobID)"
                }
                next.cupsJobID = cupsJobID
            }
            next.state = .failed
            try await save(next)
            logger.notice("Print job withdrawn", metadata: ["label.id": "\(job.labelID)", "reason": "\(withdrawal)"])
        } catch {
            _ = try await hold(job, error)
        }
    }

    /// Asks CUPS where a submitted job stands and records it.
    private func follow(_ job: PrintJobRecord, cupsJobID: Int) async throws(PrintError) {
        let found: CupsJob?
        do {
            found = try await client.job(cupsJobID)
        } catch {
            try await hold(job, error)
            return
        }
        var next = job
        guard let found, found.state != .aborted else {
            // CUPS lost the job (its history was cleared, or it aborted it): send it again, once.
            guard job.resubmissions == 0 else {
                next.state = .failed
                next.reason = "CUPS lost job \(cupsJobID) after a resubmission; check CUPS, then `waybill labels reprint \(job.labelID)`"
                try await save(next)
                return
            }
            next.resubmissions += 1
            next.cupsJobID = nil
            next.state = .spooled
            next.nextAttemptAt = nil
            next.reason = "CUPS lost job \(cupsJobID); resubmitted once"
            logger.warning("CUPS lost a print job", metadata: ["label.id": "\(job.labelID)", "cups.job": "\(cupsJobID)"])
            try await save(next)
            guard let bytes = try? readSpool(next) else { return }
            _ = try await submit(next, bytes: bytes)
            return
        }
        switch found.state {
        case .completed:
            next.state = .printed
            next.reason = job.reason?.hasPrefix("CUPS lost") == true || job.reason?.hasPrefix("found in CUPS") == true ? job.reason : nil
        case .canceled:
            next.state = .failed
            next.reason = "job \(cupsJobID) was cancelled in CUPS; reprint with `waybill labels reprint \(job.labelID) --reason ...`"
        default:
            if let fault = await fault(of: found, printer: job.printer) {
                next.state = .held
                next.reason = fault.message
            } else {
                next.state = .submitted
                if job.state == .held { next.reason = nil }
            }
        }
        if next.state != job.state || next.reason != job.reason {
            if next.state == .held { logger.warning("Label held", metadata: metadata(next)) }
            try await save(next)
        }
    }

    /// Why a job CUPS holds is not printing, if a printer fault explains it.
    private func fault(of job: CupsJob, printer: String) async -> PrintError? {
        let status = try? await client.status(of: printer)
        if let fault = status?.fault { return fault }
        if job.reasons.contains("resources-are-not-ready") || job.reasons.contains("printer-stopped") {
            return .fault(.deviceUnreachable, printer: printer, detail: status?.message ?? "")
        }
        return nil
    }
}
