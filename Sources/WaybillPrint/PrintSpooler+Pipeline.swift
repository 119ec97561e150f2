import WaybillCore

/// The one way a label reaches CUPS the first time: labels queue in memory, and one sender makes
/// them durable in groups (spool files with one folder flush, records in one commit), sends each
/// group back to back and records CUPS's answers, while the next group is made durable. The
/// autopilot (which prints what the station screen verified), `waybill labels drill` and the
/// benchmark all print through it.
extension PrintSpooler {
    /// Returns once every label queued so far has been sent to CUPS (accepted, or held with its
    /// reason for ``run()`` to retry).
    public func flush() async {
        while let sender { await sender.value }
    }

    /// Queues a label for the sender. A label still waiting there is not queued twice (the
    /// autopilot asks again for a label that has no record yet): its waiting job is returned.
    @discardableResult
    func queue(_ job: PrintJobRecord, bytes: [UInt8]) throws(PrintError) -> PrintJobRecord {
        if let waiting = pipeline.first(where: { $0.job.labelID == job.labelID }) { return waiting.job }
        // Being recorded or sent: the ledger holds it in a moment.
        guard !inFlight.contains(job.labelID) else { throw Self.alreadyUsed(job.labelID, printer: job.printer) }
        inFlight.insert(job.labelID)
        pipeline.append((job, bytes))
        queuedCount += 1
        if sender == nil { sender = Task(executorPreference: blockingLane) { await self.sendPipeline() } }
        return job
    }

    /// CUPS's answer for a queued label (accepted, or held), or why it could not be made durable.
    func answer(for labelID: String) async -> Result<PrintJobRecord, PrintError> {
        await withCheckedContinuation { answerWaiters[labelID, default: []].append($0) }
    }

    /// Gives whoever waits for label `labelID`'s answer that answer.
    private func answered(_ labelID: String, _ result: Result<PrintJobRecord, PrintError>) {
        answerWaiters.removeValue(forKey: labelID)?.forEach { $0.resume(returning: result) }
    }

    /// Returns once every label queued so far is spooled and recorded (or was dropped with an error), without waiting for CUPS: a caller that asks for
    /// every label without a print job (the autopilot) then no longer sees these as missing.
    public func recorded() async {
        let target = queuedCount
        guard settledCount < target else { return }
        await withCheckedContinuation { recordedWaiters.append((target, $0)) }
    }

    /// Counts queued labels recorded or dropped, in queue order, and wakes whoever waited for them.
    private func settle(_ count: Int) {
        settledCount += count
        let ready = recordedWaiters.filter { $0.target <= settledCount }
        recordedWaiters.removeAll { $0.target <= settledCount }
        ready.forEach { $0.continuation.resume() }
    }

    /// Sends the queued labels in the order they were enqueued. Whatever is waiting (up to
    /// ``pipelineBatch``) is made durable as a group, spool files and records (see ``persist(_:)``),
    /// then sent back to back on the CUPS thread, and CUPS's answers are recorded in one commit.
    /// The next group is made durable while this one is sent, so the disk's flushes overlap the IPP
    /// requests; a stream of labels costs one folder flush and two commits per group, not per label.
    private func sendPipeline() async {
        var persisting: Task<[PendingLabel], Never>? = persistNextGroup()
        while let current = persisting {
            let batch = await current.value
            // Groups are persisted one after the other, in order: the next starts once this one is durable.
            persisting = persistNextGroup()
            guard !batch.isEmpty else { continue }
            let answers = await client.submit(
                batch.map { LabelRequest(labelID: $0.job.labelID, bytes: $0.bytes, format: $0.job.format, printer: $0.job.printer) }
            )
            var submitted: [PrintJobRecord] = []
            for (item, answer) in zip(batch, answers) {
                switch answer {
                case .success(let id):
                    var job = Self.accepted(item.job, cupsJobID: id)
                    job.updatedAt = now()
                    submitted.append(job)
                case .failure(let error):
                    do {
                        answered(item.job.labelID, .success(try await hold(item.job, error)))
                    } catch {
                        logger.error("Cannot record a print job", metadata: ["label.id": "\(item.job.labelID)", "error": "\(error)"])
                        answered(item.job.labelID, .failure(error))
                    }
                }
            }
            do {
                try await ledger.save(submitted)
                submitted.forEach { changesContinuation.yield($0) }
            } catch {
                // Sent but not recorded: run() finds them in CUPS by name (their attempt is recorded).
                logger.error("Cannot record print jobs", metadata: ["labels": "\(submitted.map(\.labelID))", "error": "\(error)"])
            }
            // Accepted by CUPS either way: that is the answer.
            submitted.forEach { answered($0.labelID, .success($0)) }
            // Open jobs now: run() follows them until they have printed.
            wake()
            batch.forEach { inFlight.remove($0.job.labelID) }
            if persisting == nil { persisting = persistNextGroup() }
        }
        sender = nil
    }

    /// Takes the next group of waiting labels and makes it durable in a task of its own (on this
    /// actor, interleaved with the sending of the group before); nil when none is waiting.
    private func persistNextGroup() -> Task<[PendingLabel], Never>? {
        guard !pipeline.isEmpty else { return nil }
        let waiting = Array(pipeline.prefix(Self.pipelineBatch))
        pipeline.removeFirst(waiting.count)
        return Task(executorPreference: blockingLane) { await self.persist(waiting) }
    }

    /// The most queued labels made durable together and sent to CUPS before their answers are recorded.
    private static let pipelineBatch = 16

    /// Makes queued labels durable before any of them is sent: their spool files (temporary
    /// files, fsync, rename, one fsync of the folder), then their records in one commit, each
    /// counting the attempt about to be made. A label that cannot be made durable is dropped with an
    /// error and was never recorded, so whoever asked for it asks again (the autopilot asks for
    /// every label that has no print job).
    /// - Returns: the labels now spooled and recorded, in order.
    private func persist(_ batch: [PendingLabel]) async -> [PendingLabel] {
        defer { settle(batch.count) }
        do {
            try await Self.write(batch.map { ("\($0.job.labelID).\($0.job.format.fileExtension)", $0.bytes) }, to: spool)
        } catch {
            logger.error(
                "Cannot write labels to the spool folder; check its space and permissions (they are asked for again)",
                metadata: ["labels": "\(batch.map(\.job.labelID))", "error": "\(error)"]
            )
            for item in batch {
                inFlight.remove(item.job.labelID)
                answered(item.job.labelID, .failure(PrintError(.spoolMissing, printer: item.job.printer, error.description)))
            }
            return []
        }
        do {
            try await ledger.insert(batch.map(\.job))
            batch.forEach { changesContinuation.yield($0.job) }
            return batch
        } catch {
            // One at a time, so that one refused record (its label id used meanwhile) holds back no other.
            var recorded: [PendingLabel] = []
            for item in batch {
                do {
                    try await ledger.insert(item.job)
                    changesContinuation.yield(item.job)
                    recorded.append(item)
                } catch {
                    if error.code == .withdrawn {
                        logger.notice(
                            "Document withdrawn before its print job was recorded: not printed",
                            metadata: ["label.id": "\(item.job.labelID)"]
                        )
                    } else {
                        logger.error("Cannot record a print job", metadata: ["label.id": "\(item.job.labelID)", "error": "\(error)"])
                    }
                    inFlight.remove(item.job.labelID)
                    answered(item.job.labelID, .failure(error))
                }
            }
            return recorded
        }
    }

    /// Writes spool files durably off the actor (queueing goes on meanwhile), on the blocking lane
    /// when the spooler has one.
    private static func write(_ files: [(name: String, bytes: [UInt8])], to spool: Spool) async throws(SpoolError) {
        try spool.write(batch: files)
    }
}
