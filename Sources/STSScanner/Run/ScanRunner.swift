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
        public var domainsPerSecond: Double { elapsedSeconds > 0 ? Double(storedThisRun) / elapsedSeconds : 0 }
    }

    public static func run(_ request: ScanRequest) async throws -> Outcome {
        let store = try ResultStore(path: request.databasePath)
        let scanID: Int64
        var alreadyStored = 0
        var skipper = PositionSkipper.none
        if request.resume {
            guard let unfinished = try store.lastUnfinishedScan() else {
                throw ScanError.nothingToResume(database: request.databasePath)
            }
            guard unfinished.metadata.inputName == request.listPath else {
                throw ScanError.resumeInputMismatch(expected: unfinished.metadata.inputName, given: request.listPath)
            }
            scanID = unfinished.id
            alreadyStored = unfinished.rowsStored
            skipper = PositionSkipper(cursor: try store.finishedPositions(scanID: scanID))
        } else {
            let versions = Engine.libraryVersions
            scanID = try store.beginScan(ScanMetadata(
                startedAt: Date(), toolVersion: STSScanVersion.current, caresVersion: versions.cares,
                curlVersion: versions.curl, sqliteVersion: ResultStore.sqliteVersion,
                resolvers: request.engine.resolvers.isEmpty ? ["system"] : request.engine.resolvers,
                options: request.recordedOptions, inputName: request.listPath, shard: nil))
        }

        let reader = try InputReader(path: request.listPath)
        let engine = try Engine(configuration: request.engine)
        defer { engine.shutdown() }

        let counters = ScanCounters()
        counters.stored.store(alreadyStored, ordering: .relaxed)
        counters.errors.store(try store.errorCount(scanID: scanID), ordering: .relaxed)
        let progress = ProgressReporter(counters: counters, total: nil, alreadyStored: alreadyStored, style: request.progress)
        let progressTask = Task { await progress.run() }
        defer { progressTask.cancel() }
        // The total only feeds the progress line: count alongside the scan, not before it
        // (a pass over a 10^7-entry list would delay the first query by seconds).
        let countTask = Task.detached { [path = request.listPath] in
            if let total = try? countEntries(path) { progress.setTotal(total) }
        }
        defer { countTask.cancel() }

        let started = ContinuousClock.now
        let pipeline = ScanPipeline(probe: DomainProbe(engine: engine, policyPort: request.policyPort), store: store,
                                    scanID: scanID, settings: request.pipeline, counters: counters)
        try await pipeline.run(reader: reader, finished: skipper)
        let elapsed = seconds(ContinuousClock.now - started)
        progressTask.cancel()
        _ = await progressTask.value

        let interrupted = Task.isCancelled
        try store.addOptions(scanID: scanID, engine.statistics.recordedFacts)
        if !interrupted {
            try store.markDuplicates(scanID: scanID)
            try store.finishScan(scanID: scanID, total: reader.entriesRead, inputSHA256: reader.sha256Hex())
        }
        let stored = counters.stored.load(ordering: .relaxed)
        return Outcome(scanID: scanID, entries: reader.entriesRead, storedThisRun: stored - alreadyStored,
                       storedTotal: stored, errors: counters.errors.load(ordering: .relaxed),
                       elapsedSeconds: elapsed, interrupted: interrupted, statistics: engine.statistics)
    }

    /// Counts a regular file's entries so progress can show a total and an ETA
    /// (a fast pass; nil for standard input and pipes, or when cancelled).
    static func countEntries(_ path: String) throws -> Int? {
        guard path != "-" else { return nil }
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let reader = try InputReader(path: path)
        while try reader.next() != nil {
            if Task.isCancelled { return nil }  // the scan ended first
        }
        return reader.entriesRead
    }
}

extension EngineStatistics {
    /// What the engine chose while scanning, recorded in the scan's `options` (a resumed
    /// scan records its last run's).
    var recordedFacts: [String: String] {
        ["dns_window_final": String(dnsWindow), "dns_window_smallest": String(dnsWindowSmallest),
         "dns_window_largest": String(dnsWindowLargest), "fetches_stalled": String(fetchesStalled)]
    }
}

/// The tool's own failures while setting up a scan.
public enum ScanError: Error, CustomStringConvertible, Sendable {
    case nothingToResume(database: String)
    case resumeInputMismatch(expected: String, given: String)

    public var description: String {
        switch self {
        case .nothingToResume(let db):
            "--resume: the database '\(db)' has no unfinished scan; run without --resume to start one"
        case .resumeInputMismatch(let expected, let given):
            "--resume: the unfinished scan read '\(expected)', not '\(given)'; pass the same list to resume it"
        }
    }
}
