/// The help texts of `LookupOptions` that speak of a survey's many policy fetches and MX
/// probes, or of `check`'s one domain; every other text is the same for both.
protocol LookupOptionsHelp {
    static var fetchTimeout: String { get }
    static var smtpTimeout: String { get }
    static var userAgent: String { get }
}

/// The wording of `scan` and `world scan`.
enum SurveyLookupHelp: LookupOptionsHelp {
    static let fetchTimeout = "Seconds allowed for a whole policy fetch (default: \(OptionDefaults.fetchTimeout))."
    static let smtpTimeout = "Seconds for each SMTP wait (connect, greeting, each reply); a probe takes at most three "
        + "(default: \(OptionDefaults.smtpTimeout))."
    static let userAgent = "HTTP User-Agent of policy fetches (default: \(OptionDefaults.userAgent))."
}

/// The wording of `check`.
enum CheckLookupHelp: LookupOptionsHelp {
    static let fetchTimeout = "Seconds allowed for the policy fetch (default: \(OptionDefaults.fetchTimeout))."
    static let smtpTimeout = "Seconds for each SMTP wait of an MX probe (default: \(OptionDefaults.smtpTimeout))."
    static let userAgent = "HTTP User-Agent of the policy fetch."
}
