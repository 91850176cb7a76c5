import Foundation

/// Reads and rewrites a built world's zone files (`zones/<tld>.zone`, one record a line as
/// `WorldBuilder` writes them) for `world evolve`.
struct ZoneRewriter {
    let directory: String

    /// The records owned by domains of `domains` (the domain itself and names below it).
    func records(of domains: Set<String>) throws -> [String: [ZoneRecord]] {
        var found: [String: [ZoneRecord]] = [:]
        for tld in DomainNamer.tlds {
            try forEachLine(tld) { line in
                guard let record = Self.record(line), let domain = Self.owner(record.owner, in: domains) else { return }
                found[domain, default: []].append(record)
            }
        }
        return found
    }

    /// Rewrites every zone: the SOA serial one higher, the records of the domains in
    /// `replacements` replaced by the given ones (appended at the end of their zone).
    func rewrite(replacing replacements: [String: [ZoneRecord]]) throws {
        let changed = Set(replacements.keys)
        for tld in DomainNamer.tlds {
            let path = "\(directory)/zones/\(tld).zone"
            let sink = try FileSink(path: path + ".new")
            try forEachLine(tld) { line in
                if line.hasPrefix("\(tld).\tIN\tSOA\t") {
                    sink.write(Self.bumpSerial(line) + "\n")
                    return
                }
                if let record = Self.record(line), Self.owner(record.owner, in: changed) != nil { return }
                sink.write(line + "\n")
            }
            for domain in changed.sorted() where domain.hasSuffix("." + tld) {
                for record in replacements[domain]! { sink.write("\(record.owner).\tIN\t\(record.type)\t\(record.data)\n") }
            }
            try sink.close()
            guard rename(path + ".new", path) == 0 else { throw WorldError.io("cannot replace \(path): errno \(errno)") }
        }
    }

    private func forEachLine(_ tld: String, _ body: (String) throws -> Void) throws {
        let path = "\(directory)/zones/\(tld).zone"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WorldError.io("cannot read \(path): is this a built world? Run `stsscan world build` first")
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            try body(String(line))
        }
    }

    /// A record line (`owner.<TAB>IN<TAB>TYPE<TAB>data`), nil for comments, `$TTL`, blank lines.
    static func record(_ line: String) -> ZoneRecord? {
        let parts = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[1] == "IN", parts[0].hasSuffix(".") else { return nil }
        return ZoneRecord(owner: String(parts[0].dropLast()), type: String(parts[2]), data: String(parts[3]))
    }

    /// The domain of `domains` that `owner` is or lies below (world names are at most a few labels deep).
    static func owner(_ owner: String, in domains: Set<String>) -> String? {
        var name = Substring(owner)
        for _ in 0..<4 {
            if domains.contains(String(name)) { return String(name) }
            guard let dot = name.firstIndex(of: ".") else { return nil }
            name = name[name.index(after: dot)...]
        }
        return nil
    }

    /// The SOA line with its serial (the third RDATA field) one higher.
    static func bumpSerial(_ line: String) -> String {
        var fields = line.components(separatedBy: " ")
        // `tld.\tIN\tSOA\tmname rname serial refresh retry expire minimum`
        guard fields.count == 7, let serial = UInt32(fields[2]) else { return line }
        fields[2] = String(serial &+ 1)
        return fields.joined(separator: " ")
    }
}
