import STSEngine
import STSStore

/// `--resume` continues a scan with the options it started with: a scan stored half with
/// one CA file and half with another (or another resolver, timeout, probe mode) mixes two
/// surveys in one table. Options not given take the recorded value; a given option whose
/// value differs from the record is refused, named.
extension ScanRequest {
    /// One option whose given value differs from the scan's record.
    public struct OptionConflict: Sendable, Equatable, CustomStringConvertible {
        /// The command-line option (`--ca-file`), or the recorded key when no option sets it.
        public var option: String
        public var recorded: String
        public var given: String
        public var description: String { "\(option): the scan has \(recorded), this run gives \(given)" }
    }

    /// This request with the unfinished scan's recorded options (`scans.options`, run facts
    /// left out) and resolvers for every option not given; throws
    /// `ScanError.resumeOptionsDiffer` naming each given option whose value differs.
    /// `adopted` lists the options taken from the record, as `--option value`.
    public func adoptingRecord(scanID: Int64, options recorded: [String: String], resolvers recordedResolvers: [String])
        throws -> (request: ScanRequest, adopted: [String]) {
        var request = self
        var conflicts: [OptionConflict] = []
        var adopted: [String] = []
        func given(_ key: String) -> Bool { givenOptions?.contains(key) ?? true }

        // Resolvers are recorded apart from the options (`scans.resolvers`; "system" for resolv.conf).
        let mine = engine.resolvers.isEmpty ? ["system"] : engine.resolvers
        if mine != recordedResolvers, !recordedResolvers.isEmpty {
            if given(Self.resolversKey) {
                conflicts.append(OptionConflict(option: "--resolver", recorded: recordedResolvers.joined(separator: " "),
                                                given: mine.joined(separator: " ")))
            } else {
                request.engine.resolvers = recordedResolvers == ["system"] ? [] : recordedResolvers
                if recordedResolvers != ["system"] {
                    adopted.append(recordedResolvers.map { "--resolver \($0)" }.joined(separator: " "))
                }
            }
        }

        let compared = recorded.filter { !ShardMerger.runFactKeys.contains($0.key) }
        let current = recordedOptions
        for key in compared.keys.sorted() {
            guard let value = compared[key], let now = current[key], now != value else { continue }
            let name = Self.optionName(key)
            if given(key) || (notes[key] != nil) {
                if !conflicts.contains(where: { $0.option == name }) {
                    conflicts.append(OptionConflict(option: name, recorded: Self.shown(key, value), given: Self.shown(key, now)))
                }
            } else if request.set(key, to: value) {
                let listed = Self.recordedOptionTable.first { $0.key == key }?.listedWhenAdopted ?? true
                if listed, !adopted.contains(where: { $0.hasPrefix(name + " ") }) {
                    adopted.append("\(name) \(Self.shown(key, value))")
                }
            } else {
                conflicts.append(OptionConflict(option: name, recorded: value, given: now))
            }
        }
        // Whatever still differs (a value that does not read back the same) is refused too.
        let after = request.recordedOptions
        for key in compared.keys.sorted() where after[key] != nil && after[key] != compared[key] {
            let name = Self.optionName(key)
            if !conflicts.contains(where: { $0.option == name }) {
                conflicts.append(OptionConflict(option: name, recorded: compared[key]!, given: after[key]!))
            }
        }
        guard conflicts.isEmpty else { throw ScanError.resumeOptionsDiffer(scanID: scanID, conflicts) }
        return (request, adopted)
    }

    /// Sets the option recorded as `key` from its recorded text; false when it cannot be read.
    /// A key no option sets is a recorded note (e.g. the world directory of `world scan`).
    private mutating func set(_ key: String, to value: String) -> Bool {
        guard let row = Self.recordedOptionTable.first(where: { $0.key == key }) else {
            notes[key] = value
            return true
        }
        return row.write(&self, value)
    }

    /// The command-line option that sets a recorded key, or what else names it.
    static func optionName(_ key: String) -> String {
        if let row = recordedOptionTable.first(where: { $0.key == key }) { return row.option ?? key }
        switch key {
        case "world": return "the world directory"
        case "world_resolver": return "the world's resolver (--direct: nsd)"
        default: return key
        }
    }

    /// A recorded value in the option's own units (seconds for `*_ms`).
    static func shown(_ key: String, _ value: String) -> String {
        if key.hasSuffix("_ms"), let ms = Int(value) {
            return ms % 1000 == 0 ? String(ms / 1000) : String(Double(ms) / 1000)
        }
        switch (key, value) {
        case ("ca_file", "system"): return "(the system trust store)"
        case ("dns_in_flight", "adaptive"): return "(adaptive)"
        default: return value
        }
    }
}
