import Foundation
import Testing
import STSEngine
import STSStore
@testable import STSScanner

/// `--shard K/N`: the rule is pinned (values computed independently with Python's hashlib,
/// docs/sharding.md), so a domain lands in the same shard in every release.
@Suite struct ShardTests {
    @Test func parsesKOverN() {
        #expect(Shard("0/4") == Shard(index: 0, count: 4))
        #expect(Shard("3/4")?.description == "3/4")
        #expect(Shard("0/1")?.count == 1)
        for bad in ["4/4", "-1/4", "1/0", "1", "1/4/5", " 1/4", "1/ 4", "a/4", "1/", "/4", "0/65537", "+1/4"] {
            #expect(Shard(bad) == nil, "\(bad)")
        }
    }

    /// First 8 bytes of SHA-256 of the key, big-endian, modulo N (pinned values).
    @Test func bucketIsPinned() {
        #expect(Shard.bucket(ofKey: "example.com", count: 4) == 1)
        #expect(Shard.bucket(ofKey: "example.com", count: 7) == 5)
        #expect(Shard.bucket(ofKey: "example.com", count: 1000) == 309)
        #expect(Shard.bucket(ofKey: "google.com", count: 4) == 2)
        #expect(Shard.bucket(ofKey: "xn--bcher-kva.example", count: 7) == 3)
        #expect(Shard.bucket(ofKey: "not a domain", count: 1000) == 778)
        #expect(Shard.bucket(ofKey: "anything", count: 1) == 0)
    }

    /// The key is what the scan stores as the domain: the normalised A-label name, or the raw
    /// text of an entry that is not a domain name.
    @Test func keyIsTheStoredDomain() {
        #expect(Shard.key(of: InputEntry(position: 0, line: 1, rank: nil, raw: "Example.COM.")) == "example.com")
        #expect(Shard.key(of: InputEntry(position: 0, line: 1, rank: 3, raw: "Bücher.example")) == "xn--bcher-kva.example")
        #expect(Shard.key(of: InputEntry(position: 0, line: 1, rank: nil, raw: "not a domain")) == "not a domain")
        let malformed = InputEntry(position: 0, line: 1, rank: nil, raw: "x,example.com", problem: "CSV line")
        #expect(Shard.key(of: malformed) == "x,example.com")
        // Spellings of one domain share a shard, at any position.
        let shard = Shard(index: Shard.bucket(ofKey: "example.com", count: 4), count: 4)!
        for (i, raw) in ["example.com", "EXAMPLE.com", "example.com."].enumerated() {
            #expect(shard.contains(InputEntry(position: i * 1000, line: i + 1, rank: i + 1, raw: raw)))
        }
    }

    /// Every entry is in exactly one of the N shards, and the shards are about equal.
    @Test func shardsPartitionTheList() {
        let entries = (0..<20_000).map { InputEntry(position: $0, line: $0 + 1, rank: nil, raw: "d\($0).example") }
        let shards = (0..<4).map { Shard(index: $0, count: 4)! }
        var sizes = [0, 0, 0, 0]
        for entry in entries {
            let owners = shards.filter { $0.contains(entry) }
            #expect(owners.count == 1)
            if let owner = owners.first { sizes[owner.index] += 1 }
        }
        for size in sizes { #expect(size > 4_700 && size < 5_300, "\(sizes)") }
    }

    /// The pipeline's filter: positions of other shards are skipped, not renumbered, and
    /// the filter counts its shard's entries (the scan's `domains_total`).
    @Test func entrySourceKeepsPositionsAndCounts() throws {
        let lines = (0..<200).map { "d\($0).example" } + ["d7.example", "bad name", "x,y.example"]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("shard-\(UUID().uuidString).txt")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var union: [Int] = []
        var total = 0
        for k in 0..<3 {
            let filter = ShardFilter(Shard(index: k, count: 3)!)
            let source = EntrySource(reader: try InputReader(path: file.path), finished: .none, shard: filter)
            var positions: [Int] = []
            while case .entry(let entry) = try source.next() {
                #expect(Shard.bucket(ofKey: Shard.key(of: entry), count: 3) == k)
                positions.append(entry.position)
            }
            #expect(filter.entriesInShard == positions.count)
            // The duplicate d7.example (position 200) is in the shard of its first occurrence.
            #expect(positions.contains(7) == positions.contains(200))
            union += positions
            total += filter.entriesInShard
        }
        #expect(union.sorted() == Array(0..<203))
        #expect(total == 203)
    }
}

/// The engine's per-run facts are exactly the keys merge leaves out of its option
/// comparison and combines: a new fact the merger did not know would make shards "differ".
struct RunFactKeysTests {
    @Test func recordedFactsAreTheMergersRunFacts() {
        #expect(Set(EngineStatistics().recordedFacts.keys) == ShardMerger.runFactKeys)
    }
}
