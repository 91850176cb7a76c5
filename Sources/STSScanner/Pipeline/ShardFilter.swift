import Synchronization

/// Lets only one shard's entries through to the probes (`scan --shard K/N`) and counts them,
/// so the scan's `domains_total` is the number of entries of its shard. Entries of other
/// shards are skipped, not renumbered: every row keeps its position in the full list, and
/// merged shards have the positions of an unsharded scan.
public final class ShardFilter: Sendable {
    public let shard: Shard
    private let admitted = Atomic<Int>(0)

    public init(_ shard: Shard) { self.shard = shard }

    /// Entries of the shard seen so far (stored earlier or not).
    public var entriesInShard: Int { admitted.load(ordering: .relaxed) }

    /// Whether `entry` belongs to the shard; counts it when it does.
    func admits(_ entry: InputEntry) -> Bool {
        guard shard.contains(entry) else { return false }
        admitted.add(1, ordering: .relaxed)
        return true
    }
}
