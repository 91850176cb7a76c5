import Crypto
import STSCore

/// One part of a list split N ways (`scan --shard K/N`, 0-based K, like zmap's
/// `--shard`/`--shards`). Which part an entry belongs to depends on the entry alone, never
/// on its position or on the process, so a domain lands in the same shard in every list and
/// every month:
///
/// - the **shard key** is exactly what the scan stores in `domain_results.domain`: the
///   normalised A-label domain (`DomainName.normalize`), or, for an entry that is not a
///   domain name (a CSV line without a rank, an overlong line, a name that does not
///   normalise), its trimmed input text;
/// - the entry's shard is the first 8 bytes of the SHA-256 of the key's UTF-8 bytes, read as
///   a big-endian unsigned 64-bit integer, modulo N.
///
/// Because the key is the stored domain, every occurrence of a domain listed twice lands in
/// the first occurrence's shard, so `input-duplicate` marking per shard equals marking over
/// the whole list. docs/sharding.md documents the rule (with a one-line Python equivalent).
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// The largest N accepted.
    public static let maxCount = 65_536

    /// K: which part, 0..<count.
    public let index: Int
    /// N: how many parts.
    public let count: Int

    /// Nil unless `0 <= index < count <= maxCount`.
    public init?(index: Int, count: Int) {
        guard count >= 1, count <= Self.maxCount, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (decimal, no spaces), as written by `description` and stored in `scans.shard`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
              let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: k, count: n)
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }

    /// Whether `entry` belongs to this shard.
    public func contains(_ entry: InputEntry) -> Bool {
        count == 1 || Self.bucket(ofKey: Self.key(of: entry), count: count) == index
    }

    /// The shard key of an entry: the value the scan stores in `domain_results.domain`
    /// (`DomainProbe` stores the raw text for entries that are not domain names).
    public static func key(of entry: InputEntry) -> String {
        guard entry.problem == nil, case .success(let name) = DomainName.normalize(entry.raw) else { return entry.raw }
        return name
    }

    /// The shard (0..<count) of a key: SHA-256 of its UTF-8 bytes, first 8 bytes big-endian, mod `count`.
    public static func bucket(ofKey key: String, count: Int) -> Int {
        precondition(count >= 1)
        let digest = SHA256.hash(data: Array(key.utf8))
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return Int(value % UInt64(count))
    }
}
