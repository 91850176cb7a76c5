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
            if given("resolvers") {
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
                if !adopted.contains(where: { $0.hasPrefix(name + " ") }), key != "connect_timeout_ms", key != "dns_in_flight_cap" {
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
    private mutating func set(_ key: String, to value: String) -> Bool {
        func int() -> Int? { Int(value) }
        func limit() -> Double?? { value == "unlimited" ? .some(nil) : Double(value).map { .some($0) } }
        switch key {
        case "concurrency": guard let n = int() else { return false }; pipeline.concurrency = n
        case "batch_size": guard let n = int() else { return false }; pipeline.batchSize = n
        case "dns_timeout_ms": guard let n = int() else { return false }; engine.dnsTimeoutMs = n
        case "dns_tries": guard let n = int() else { return false }; engine.dnsTries = n
        case "dns_requeries": guard let n = int() else { return false }; engine.dnsRequeries = n
        case "dns_channels": guard let n = int() else { return false }; engine.dnsChannels = n
        case "dns_in_flight":
            if value == "adaptive" {
                engine.adaptiveQueriesInFlight = true
            } else {
                guard let n = int() else { return false }
                engine.adaptiveQueriesInFlight = false
                engine.maxQueriesInFlight = n
            }
        case "dns_in_flight_cap": guard let n = int() else { return false }; engine.maxQueriesInFlight = n
        case "rate": guard let r = limit() else { return false }; engine.maxQueriesPerSecond = r
        case "ca_file": engine.caFile = value == "system" ? nil : value
        case "fetch_timeout_ms": guard let n = int() else { return false }; engine.fetchTimeoutMs = n
        case "connect_timeout_ms": guard let n = int() else { return false }; engine.connectTimeoutMs = n
        case "max_fetches": guard let n = int() else { return false }; engine.maxFetches = n
        case "per_ip": guard let n = int() else { return false }; engine.perIP = n
        case "per_ip_max_open": guard let n = int() else { return false }; engine.perIPMaxOpen = n
        case "per_ip_rate": guard let r = limit() else { return false }; engine.perIPConnectionsPerSecond = r
        case "stall_after_ms": guard let n = int() else { return false }; engine.stallAfterMs = n
        case "max_stalled_fetches": guard let n = int() else { return false }; engine.maxStalledFetches = n
        case "user_agent": engine.userAgent = value
        case "policy_port": guard let n = int() else { return false }; policyPort = n
        case "mx_probe": guard let mode = MXProbeMode(rawValue: value) else { return false }; mxProbe.mode = mode
        case "ehlo_name": mxProbe.ehloName = value
        case "smtp_port": guard let n = int() else { return false }; mxProbe.port = n
        case "mx_per_ip": guard let n = int() else { return false }; engine.mxPerIP = n
        case "smtp_timeout_ms": guard let n = int() else { return false }; engine.smtpTimeoutMs = n
        default: notes[key] = value  // recorded notes (e.g. the world directory of `world scan`)
        }
        return true
    }

    /// The command-line option that sets a recorded key.
    static func optionName(_ key: String) -> String {
        switch key {
        case "dns_timeout_ms": "--dns-timeout"
        case "fetch_timeout_ms", "connect_timeout_ms": "--fetch-timeout"
        case "stall_after_ms": "--stall-after"
        case "smtp_timeout_ms": "--smtp-timeout"
        case "per_ip_max_open": "--per-ip-max"
        case "dns_in_flight", "dns_in_flight_cap": "--dns-in-flight"
        case "world": "the world directory"
        case "world_resolver": "the world's resolver (--direct: nsd)"
        case "batch_size", "max_stalled_fetches", "world_seed": key
        default: "--" + key.replacingOccurrences(of: "_", with: "-")
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
