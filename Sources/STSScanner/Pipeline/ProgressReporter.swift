import Foundation
import Synchronization

/// Prints scan progress to standard error: a refreshed status line on a terminal, a log
/// line every few seconds otherwise (CI logs, `nohup`), nothing when quiet.
public final class ProgressReporter: Sendable {
    public enum Style: Sendable { case terminal, log, quiet }

    private let counters: ScanCounters
    /// Entries in the list; -1 while unknown (standard input, or still being counted).
    private let knownTotal: Atomic<Int>
    private let style: Style
    private let startedAt = ContinuousClock.now
    /// Domains already stored when this run started (resume), excluded from the rate.
    private let alreadyStored: Int
    /// Milliseconds since the start at the last duplicate-marking log line.
    private let lastDuplicateLine = Atomic<Int64>(0)

    /// What the domains still in flight wait for (the engine's open DNS lookups, fetches and
    /// STARTTLS probes), shown instead of the ETA once every domain left is in flight.
    private let waiting: (@Sendable () -> String?)?

    public init(counters: ScanCounters, total: Int?, alreadyStored: Int, style: Style,
                waiting: (@Sendable () -> String?)? = nil) {
        self.waiting = waiting
        self.counters = counters
        knownTotal = Atomic(total ?? -1)
        self.style = style
        self.alreadyStored = alreadyStored
    }

    /// Supplies the total once it is known (the list is counted while the scan runs).
    public func setTotal(_ total: Int) { knownTotal.store(total, ordering: .relaxed) }

    private var total: Int? {
        let value = knownTotal.load(ordering: .relaxed)
        return value < 0 ? nil : value
    }

    /// `.terminal` when standard error is a TTY, else `.log`.
    public static var automaticStyle: Style { isatty(STDERR_FILENO) == 1 ? .terminal : .log }

    /// Runs until cancelled.
    public func run() async {
        guard style != .quiet else { return }
        let interval: Duration = style == .terminal ? .milliseconds(500) : .seconds(5)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            emit(line())
        }
        if style == .terminal { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
    }

    /// The status line: done/total, rate, ETA, in flight, errors.
    public func line() -> String {
        let stored = counters.stored.load(ordering: .relaxed)
        let elapsed = seconds(ContinuousClock.now - startedAt)
        let rate = elapsed > 0 ? Double(stored - alreadyStored) / elapsed : 0
        var parts: [String] = []
        let total = self.total
        if let total {
            let pct = total > 0 ? Double(stored) * 100 / Double(total) : 100
            parts.append("\(stored)/\(total) (\(String(format: "%.1f", pct))%)")
        } else {
            parts.append("\(stored) done")
        }
        parts.append(String(format: "%.0f domains/s", rate))
        let inFlight = counters.inFlight.load(ordering: .relaxed)
        // The tail: every domain left is being probed, each waiting for its own timeouts; an
        // ETA from the average rate would say 0 s for as long as they take.
        let tail = total.map { inFlight > 0 && stored < $0 && $0 - stored <= inFlight } ?? false
        if tail, let text = waiting?() {
            parts.append("in flight \(inFlight), waiting for \(text)")
        } else {
            if let total, rate > 0, stored < total {
                parts.append("ETA \(Self.formatDuration(Double(total - stored) / rate))")
            }
            parts.append("in flight \(inFlight)")
        }
        parts.append("errors \(counters.errors.load(ordering: .relaxed))")
        return parts.joined(separator: "  ")
    }

    /// Progress of the duplicate marking that ends a scan (on a terminal, or in the log).
    public func duplicates(marked: Int, total: Int) {
        guard total > 0 else { return }
        let text = "marking duplicates: \(marked)/\(total)"
        switch style {
        case .terminal: emit(text)
        case .log:
            let now = ContinuousClock.now
            let last = lastDuplicateLine.load(ordering: .relaxed)
            let elapsed = Int64(seconds(now - startedAt) * 1000)
            if marked == 0 || marked == total || elapsed - last >= 5000 {
                lastDuplicateLine.store(elapsed, ordering: .relaxed)
                emit(text)
            }
        case .quiet: break
        }
        if marked == total, style == .terminal { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
    }

    private func emit(_ text: String) {
        switch style {
        case .terminal: FileHandle.standardError.write(Data("\r\u{1b}[K\(text)".utf8))
        case .log: FileHandle.standardError.write(Data("progress: \(text)\n".utf8))
        case .quiet: break
        }
    }

    static func formatDuration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
