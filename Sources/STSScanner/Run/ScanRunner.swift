import Foundation
import STSCore
import STSEngine
import STSStore

/// Runs one scan end to end: opens (or resumes) the scan in the database, starts the
/// engine, streams the list through the pipeline, and closes the scan with its counts.
public enum ScanRunner {
    /// What a finished (or interrupted) run did.
    public struct Outcome: Sendable {
        public var scanID: Int64
        public var entries: Int
        public var storedThisRun: Int
        public var storedTotal: Int
        public var errors: Int
        public var elapsedSeconds: Double
        public var interrupted: Bool
        public var statistics: EngineStatistics
        /// Every domain of this run that was looked up had all its lookups fail (a list
        /// shorter than the resolver check): the summary warns.
        public var everyLookupFailed: Bool = false
        /// The scan was stopped while the row observer (`--jsonl`) lagged: it was let go, so
        /// its output lacks some stored rows (`export`, or `--resume` rewriting it, has them).
        public var rowObserverAbandoned: Bool = false
        /// The request as run: with `--resume`, the options taken from the scan's record.
        public var request: ScanRequest? = nil
        /// The options `--resume` took from the record (`--ca-file /w/ca.pem`), for the summary.
        public var adoptedOptions: [String] = []
        /// Domains per second over the middle 80% of this run's completions (`RateSampler`);
        /// nil for a run too short to tell.
        public var steadyDomainsPerSecond: Double? = nil
        public var domainsPerSecond: Double { elapsedSeconds > 0 ? Double(storedThisRun) / elapsedSeconds : 0 }
    }

    public static func run(_ given: ScanRequest) async throws -> Outcome {
        var request = given
        // Settings first: nothing is created or recorded for a scan that cannot run.
        try checkSettings(request)
        // The list is opened before the database and its lock are created, and hashed before
        // a scan is recorded: a missing, unreadable or directory list leaves no file behind.
        let reader = try InputReader(path: request.listPath)
        let lock = try ScanLock(databasePath: request.databasePath)
        let store = try ResultStore(path: request.databasePath)
        let digest = try await OffPool.run { [path = request.listPath] in try InputDigest.sha256(path: path) }

        let scanID: Int64
        var alreadyStored = 0
        var skipper = PositionSkipper.none
        var adopted: [String] = []
        let isNewScan = !request.resume
        if request.resume {
            guard let unfinished = try store.lastUnfinishedScan() else {
                throw ScanError.nothingToResume(database: request.databasePath)
            }
            guard unfinished.metadata.inputName == request.listPath else {
                throw ScanError.resumeInputMismatch(expected: unfinished.metadata.inputName, given: request.listPath)
            }
            guard unfinished.metadata.shard == request.shard?.description else {
                throw ScanError.resumeShardMismatch(database: request.databasePath, recorded: unfinished.metadata.shard,
                                                    given: request.shard?.description)
            }
            if let recorded = unfinished.inputSHA256, recorded != digest {
                throw ScanError.resumeInputChanged(path: request.listPath)
            }
            // The options the scan started with, for every option not given (a given one that
            // differs is refused): one scan, one set of options.
            (request, adopted) = try request.adoptingRecord(scanID: unfinished.id, options: unfinished.metadata.options,
                                                            resolvers: unfinished.metadata.resolvers)
            try checkSettings(request)  // a recorded CA file that has gone is said before anything runs
            scanID = unfinished.id
            alreadyStored = unfinished.rowsStored
            skipper = PositionSkipper(cursor: try store.finishedPositions(scanID: scanID))
        } else {
            let versions = Engine.libraryVersions
            scanID = try store.beginScan(ScanMetadata(
                startedAt: Date(), toolVersion: STSScanVersion.current, caresVersion: versions.cares,
                curlVersion: versions.curl, sqliteVersion: ResultStore.sqliteVersion,
                resolvers: request.engine.resolvers.isEmpty ? ["system"] : request.engine.resolvers,
                options: request.recordedOptions, inputName: request.listPath, shard: request.shard?.description),
                inputSHA256: digest)
        }
        let engine: Engine
        do {
            engine = try Engine(configuration: request.engine)
        } catch {
            if isNewScan { _ = try? store.discardScanIfEmpty(scanID: scanID) }
            throw error
        }
        // The engine stops when the scan ends, however it ends; its loop thread is awaited,
        // not joined on one of Swift's shared threads.
        return try await engine.whileRunning { engine in
            let counters = ScanCounters()
            counters.stored.store(alreadyStored, ordering: .relaxed)
            counters.errors.store(try store.errorCount(scanID: scanID), ordering: .relaxed)
            let progress = ProgressReporter(counters: counters, total: nil, alreadyStored: alreadyStored, style: request.progress,
                                            waiting: { [configuration = request.engine] in
                                                waitingFor(engine.statistics, configuration)
                                            })
            let progressTask = Task { await progress.run() }
            defer { progressTask.cancel() }
            let sampler = RateSampler(counters: counters, alreadyStored: alreadyStored)
            let samplerTask = Task { await sampler.run() }
            defer { samplerTask.cancel() }
            // The total only feeds the progress line: count alongside the scan, not before it
            // (a pass over a 10^7-entry list would delay the first query by seconds).
            let countStop = StopFlag()
            OffPool.count.async { [path = request.listPath, shard = request.shard] in
                if let total = try? countEntries(path, shard: shard, stop: countStop) { progress.setTotal(total) }
            }
            defer { countStop.set() }

            let started = ContinuousClock.now
            var pipeline = ScanPipeline(probe: DomainProbe(engine: engine, policyPort: request.policyPort,
                                                             mxProbe: request.mxProbe), store: store,
                                        scanID: scanID, settings: request.pipeline, counters: counters)
            let observer = request.rowObserver
            if let observer {
                pipeline.afterCommit = { @Sendable positions in try observer.committed(positions: positions) }
            }
            let health = ResolverHealth(window: request.pipeline.resolverCheckDomains)
            let shard = request.shard.map(ShardFilter.init)
            // The entries this scan covers: the whole list, or its shard's part.
            var entries: Int { shard?.entriesInShard ?? reader.entriesRead }
            do {
                try observer?.scanStarted(scanID: scanID)
                try await pipeline.run(reader: reader, finished: skipper, health: health, shard: shard)
            } catch {
                progressTask.cancel()
                _ = await progressTask.value
                // A new scan that stored nothing, or only the lookups of a dead resolver, leaves
                // no trace (no phantom scan that reports show and --resume would continue).
                if isNewScan {
                    if case ScanError.resolverNotAnswering = error {
                        _ = try? store.discardScan(scanID: scanID)
                    } else {
                        _ = try? store.discardScanIfEmpty(scanID: scanID)
                    }
                }
                let stored = counters.stored.load(ordering: .relaxed)
                if let storeError = error as? StoreError {
                    throw ScanError.storeFailed(storeError, stored: stored, entriesRead: entries,
                                                resumable: !isNewScan || stored > 0)
                }
                throw error
            }
            let elapsed = seconds(ContinuousClock.now - started)
            let steadyRate = sampler.steadyRate()
            samplerTask.cancel()
            progressTask.cancel()
            _ = await progressTask.value

            var interrupted = Task.isCancelled
            if !interrupted, let observer { try await OffPool.run { try observer.scanCompleted() } }
            let facts = engine.statistics.recordedFacts
            try await OffPool.run { try store.addOptions(scanID: scanID, facts) }
            if !interrupted {
                let stop = StopFlag()
                do {
                    _ = try await withTaskCancellationHandler {
                        try await OffPool.run {
                            try store.markDuplicates(scanID: scanID, progress: { marked, total in
                                progress.duplicates(marked: marked, total: total)
                            }, shouldStop: { stop.isSet })
                        }
                    } onCancel: {
                        stop.set()
                    }
                    let hash = reader.sha256Hex()
                    try await OffPool.run { try store.finishScan(scanID: scanID, total: entries, inputSHA256: hash) }
                } catch is CancellationError {
                    interrupted = true  // every row is stored: --resume only marks duplicates and finishes
                } catch let error as StoreError {
                    throw ScanError.storeFailed(error, stored: counters.stored.load(ordering: .relaxed),
                                                entriesRead: entries, resumable: true)
                }
                if interrupted == false, let finished = try store.scan(id: scanID) {
                    counters.errors.store(finished.errors, ordering: .relaxed)
                }
            }
            withExtendedLifetime(lock) {}
            let stored = counters.stored.load(ordering: .relaxed)
            return Outcome(scanID: scanID, entries: entries, storedThisRun: stored - alreadyStored,
                           storedTotal: stored, errors: counters.errors.load(ordering: .relaxed),
                           elapsedSeconds: elapsed, interrupted: interrupted, statistics: engine.statistics,
                           everyLookupFailed: health.everyLookupFailed,
                           rowObserverAbandoned: counters.afterCommitAbandoned.load(ordering: .relaxed),
                           request: request, adoptedOptions: adopted, steadyDomainsPerSecond: steadyRate)
        }
    }

    /// What the domains in flight wait for, from the engine's counters: "2 DNS lookups
    /// (2 s per try, 3 tries), 3 policy fetches (up to 20 s), 1 STARTTLS probe (up to 3 x 10 s)".
    /// nil when the engine holds nothing.
    static func waitingFor(_ s: EngineStatistics, _ configuration: EngineConfiguration) -> String? {
        let fetches = max(0, s.fetchesStarted - s.fetchesCompleted)
        let probes = max(0, s.smtpProbesStarted - s.smtpProbesCompleted)
        let lookups = max(0, s.inFlight - fetches - probes)
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        func secs(_ ms: Int) -> String { ms % 1000 == 0 ? "\(ms / 1000) s" : String(format: "%.1f s", Double(ms) / 1000) }
        var parts: [String] = []
        if lookups > 0 {
            parts.append(plural(lookups, "DNS lookup") + " (\(secs(configuration.dnsTimeoutMs)) per try, "
                         + "\(configuration.dnsTries) tries" + (s.dnsRequeries > 0 ? ", \(s.dnsRequeries) asked again so far" : "") + ")")
        }
        if fetches > 0 {
            parts.append(plural(fetches, "policy fetch").replacingOccurrences(of: "fetchs", with: "fetches")
                         + " (up to \(secs(configuration.fetchTimeoutMs))"
                         + (s.fetchesStalled > 0 ? "; \(s.fetchesStalled) stalled past their address's usual time so far" : "") + ")")
        }
        if probes > 0 {
            parts.append(plural(probes, "STARTTLS probe") + " (up to 3 x \(secs(configuration.smtpTimeoutMs)): slow or tarpit "
                         + "greetings" + ")")
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// What can be checked before a scan starts: the CA file (a missing one would store
    /// every adopter as a fetch error). Resolvers are judged by their first answers
    /// (`ResolverHealth`).
    static func checkSettings(_ request: ScanRequest) throws {
        if let caFile = request.engine.caFile {
            var status = stat()
            guard stat(caFile, &status) == 0 else { throw ScanError.caFileMissing(path: caFile, reason: "no such file") }
            guard (status.st_mode & S_IFMT) == S_IFREG else {
                throw ScanError.caFileMissing(path: caFile, reason: "not a regular file")
            }
            guard let handle = FileHandle(forReadingAtPath: caFile),
                  let head = try? handle.read(upToCount: 1 << 16) else {
                throw ScanError.caFileMissing(path: caFile, reason: "not readable")
            }
            try? handle.close()
            guard String(decoding: head, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
                throw ScanError.caFileMissing(path: caFile, reason: "no PEM certificate in it")
            }
        }
    }

    /// Counts a regular file's entries so progress can show a total and an ETA (a fast pass;
    /// nil for standard input and pipes, or when cancelled). For a shard, the entries divided
    /// by N: the hash spreads them evenly (within about 1% from a few thousand entries up), and
    /// hashing every entry twice would cost each shard process a few percent of its CPU.
    static func countEntries(_ path: String, shard: Shard? = nil, stop: StopFlag = StopFlag()) throws -> Int? {
        guard path != "-" else { return nil }
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let reader = try InputReader(path: path)
        while try reader.next() != nil {
            if stop.isSet { return nil }  // the scan ended first
        }
        guard let shard else { return reader.entriesRead }
        return (reader.entriesRead + shard.count - 1) / shard.count
    }
}

extension EngineStatistics {
    /// What the engine chose while scanning, recorded in the scan's `options` (a resumed
    /// scan records its last run's). Its keys are `ShardMerger.runFactKeys`: not compared
    /// between shards, combined by merge.
    var recordedFacts: [String: String] {
        ["dns_window_final": String(dnsWindow), "dns_window_smallest": String(dnsWindowSmallest),
         "dns_window_largest": String(dnsWindowLargest), "dns_window_delay_decreases": String(dnsWindowDelayDecreases),
         "dns_window_loss_decreases": String(dnsWindowLossDecreases), "dns_base_rtt_us": String(dnsBaseRttUs),
         "dns_timeouts": String(dnsTimeouts), "dns_requeried": String(dnsRequeries),
         "dns_requeried_answered": String(dnsRequeriesAnswered), "fetches_stalled": String(fetchesStalled)]
    }
}

/// The tool's own failures while setting up or running a scan.
public enum ScanError: Error, CustomStringConvertible, Sendable {
    case nothingToResume(database: String)
    case resumeInputMismatch(expected: String, given: String)
    case resumeInputChanged(path: String)
    case resumeShardMismatch(database: String, recorded: String?, given: String?)
    case resumeOptionsDiffer(scanID: Int64, [ScanRequest.OptionConflict])
    case caFileMissing(path: String, reason: String)
    case resolverNotAnswering(domains: Int)
    case storeFailed(StoreError, stored: Int, entriesRead: Int, resumable: Bool)

    public var description: String {
        switch self {
        case .nothingToResume(let db):
            "--resume: the database '\(db)' has no unfinished scan; run without --resume to start one"
        case .resumeInputMismatch(let expected, let given):
            "--resume: the unfinished scan read '\(expected)', not '\(given)'; pass the same list to resume it"
        case .resumeInputChanged(let path):
            "--resume: '\(path)' changed since the scan started (its SHA-256 differs): resuming would store some "
                + "domains twice and miss others; restore the original list, or start a new scan without --resume"
        case .resumeShardMismatch(let db, let recorded, let given):
            "--resume: the unfinished scan in '\(db)' covers "
                + (recorded.map { "shard \($0)" } ?? "the whole list (no --shard)") + ", not "
                + (given.map { "shard \($0)" } ?? "the whole list") + "; pass "
                + (recorded.map { "--shard \($0)" } ?? "no --shard") + " to resume it"
        case .resumeOptionsDiffer(let scanID, let conflicts):
            "--resume: scan \(scanID) started with other options than this run gives; a scan keeps its options to "
                + "the end (half a survey with another value would mix two surveys in one table):\n"
                + conflicts.map { "  \($0.description)\n" }.joined()
                + "  leave \(conflicts.count == 1 ? "this option" : "these options") out to take the recorded "
                + "\(conflicts.count == 1 ? "value" : "values"), or start a new scan without --resume"
        case .caFileMissing(let path, let reason):
            "--ca-file '\(path)': \(reason); give a PEM file of CA certificates (every policy fetch would fail)"
        case .resolverNotAnswering(let domains):
            "the first \(domains) domains' DNS lookups all failed (timeout, refused or SERVFAIL): the resolver does not "
                + "answer; check --resolver and its port, then run the scan again"
        case .storeFailed(let error, let stored, let entriesRead, let resumable):
            "\(error.description)\n  the scan stopped at once: \(stored) rows stored, \(entriesRead) entries read; "
                + (resumable ? "fix this, then continue the scan with --resume" : "nothing was kept: fix this, then run the scan again")
        }
    }
}
