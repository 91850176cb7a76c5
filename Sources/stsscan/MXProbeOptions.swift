import ArgumentParser
import Foundation
import STSEngine
import STSScanner

/// STARTTLS probing of MX hosts, shared by `scan`, `world scan` and `check`.
struct MXProbeOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Probe MX hosts' STARTTLS: policy (domains with a valid enforce/testing policy: the delivery verdict), all (every domain with MX hosts), none.",
        valueName: "policy|all|none"))
    var mxProbe: MXProbeMode?

    @Option(help: ArgumentHelp("Name sent in EHLO: a name of this machine whose reverse DNS matches (default: the host name).",
                               valueName: "name"))
    var ehloName: String?

    @Option(help: ArgumentHelp("SMTP connections at once per MX address (politeness; mail servers block aggressive "
                               + "scanners; default: \(Default.mxPerIP)).", valueName: "n"))
    var mxPerIP: Int?

    @Option(help: ArgumentHelp("Seconds for each SMTP wait (connect, greeting, each reply); a probe takes at most three "
                               + "(default: \(Default.smtpTimeout)).", valueName: "seconds"))
    var smtpTimeout: Double?

    @Option(help: ArgumentHelp("SMTP port of MX hosts (25; for test worlds only).", visibility: .hidden))
    var smtpPort: Int?

    /// `scan`'s defaults; options not given take them (see `EngineOptions` for why optional).
    enum Default {
        static let mxProbe = MXProbeMode.policy
        static let mxPerIP = EngineConfiguration().mxPerIP
        static let smtpTimeout = Double(EngineConfiguration().smtpTimeoutMs) / 1000
        static let smtpPort = 25
    }

    /// The keys of `scans.options` these options set on the command line.
    var given: Set<String> {
        var keys: Set<String> = []
        if mxProbe != nil { keys.insert("mx_probe") }
        if ehloName != nil { keys.insert("ehlo_name") }
        if mxPerIP != nil { keys.insert("mx_per_ip") }
        if smtpTimeout != nil { keys.insert("smtp_timeout_ms") }
        if smtpPort != nil { keys.insert("smtp_port") }
        return keys
    }

    func validate() throws {
        let mxPerIP = mxPerIP ?? Default.mxPerIP, smtpTimeout = smtpTimeout ?? Default.smtpTimeout
        let smtpPort = smtpPort ?? Default.smtpPort
        guard mxPerIP >= 1, mxPerIP <= 64 else { throw ValidationError("--mx-per-ip must be 1...64") }
        guard smtpTimeout > 0, smtpTimeout <= 300 else { throw ValidationError("--smtp-timeout must be in (0, 300] seconds") }
        guard (1...65535).contains(smtpPort) else { throw ValidationError("--smtp-port must be 1...65535") }
        if let ehloName, ehloName.isEmpty || ehloName.contains(where: { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) {
            throw ValidationError("--ehlo-name '\(ehloName)' is not a host name (letters, digits, '.', '-')")
        }
    }

    /// The probe settings (`mode` overrides `--mx-probe`, as `check` always probes).
    func settings(mode: MXProbeMode? = nil) -> MXProbeSettings {
        MXProbeSettings(mode: mode ?? mxProbe ?? Default.mxProbe, ehloName: ehloName ?? MXProbeOptions.hostName,
                        port: smtpPort ?? Default.smtpPort)
    }

    /// Applies the SMTP limits to an engine configuration.
    func apply(to configuration: inout EngineConfiguration) {
        configuration.mxPerIP = mxPerIP ?? Default.mxPerIP
        configuration.smtpTimeoutMs = Int((smtpTimeout ?? Default.smtpTimeout) * 1000)
    }

    /// This machine's host name, as `EHLO` should say it.
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}

extension MXProbeMode: ExpressibleByArgument {}
