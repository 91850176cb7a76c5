import STSStore

/// One probe per distinct MX host name per scan: the first domain that needs a host runs
/// its probe and stores its `mx_probes` row; domains asking meanwhile wait for that probe,
/// and later ones reuse its verdict (the big providers serve hundreds of thousands of
/// domains each). Memory: one `MXHostVerdict` per distinct host (docs/architecture.md).
public actor MXProbeRegistry {
    private enum Entry {
        case running([CheckedContinuation<MXHostVerdict, Never>])
        case done(MXHostVerdict)
    }
    private var entries: [String: Entry] = [:]
    /// Probes run (equals the number of distinct hosts asked for).
    public private(set) var probesRun = 0

    public init() {}

    /// The verdict for `host`. When this call runs the probe, it also returns the record
    /// (and steps) to keep with the calling domain; otherwise nil.
    public func verdict(for host: String,
                        probe: @Sendable () async -> (MXHostVerdict, MXProbeOwnerData)) async -> (MXHostVerdict, MXProbeOwnerData?) {
        switch entries[host] {
        case .done(let verdict):
            return (verdict, nil)
        case .running:
            let verdict = await withCheckedContinuation { continuation in
                if case .running(var waiting) = entries[host] {
                    waiting.append(continuation)
                    entries[host] = .running(waiting)
                } else if case .done(let verdict) = entries[host] {
                    continuation.resume(returning: verdict)
                }
            }
            return (verdict, nil)
        case nil:
            entries[host] = .running([])
            probesRun += 1
            let (verdict, record) = await probe()
            if case .running(let waiting) = entries[host] {
                for continuation in waiting { continuation.resume(returning: verdict) }
            }
            entries[host] = .done(verdict)
            return (verdict, record)
        }
    }
}

/// What the domain that ran a host's probe keeps: the `mx_probes` row and, for `check`, the
/// steps of the probe.
public struct MXProbeOwnerData: Sendable {
    public let record: MXProbeRecord
    public let steps: [ProbeStep]
}
