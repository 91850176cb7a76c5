import Foundation
import STSEngine
import STSScanner

/// `scan`'s defaults for the network options (those of `EngineConfiguration`), in the
/// options' units; an option not given takes its default (see `LookupOptions` for why the
/// options are optional).
enum OptionDefaults {
    static let engine = EngineConfiguration()
    static let dnsTimeout = Double(engine.dnsTimeoutMs) / 1000
    static let dnsTries = engine.dnsTries
    static let dnsRequeries = engine.dnsRequeries
    static let fetchTimeout = Double(engine.fetchTimeoutMs) / 1000
    static let maxFetches = engine.maxFetches
    static let perIP = engine.perIP
    static let stallAfter = Double(engine.stallAfterMs) / 1000
    static let perIPMax = engine.perIPMaxOpen
    static let userAgent = engine.userAgent
    static let policyPort = 443
    static let mxProbe = MXProbeMode.policy
    static let mxPerIP = engine.mxPerIP
    static let smtpTimeout = Double(engine.smtpTimeoutMs) / 1000
    static let smtpPort = 25

    /// The name sent in `EHLO`: this machine's host name.
    static var ehloName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
