import STSCore

/// What one MX host's probe means for delivery, kept for the rest of the scan so every
/// domain served by the host reuses it (a few dozen bytes per distinct host).
public struct MXHostVerdict: Sendable, Equatable {
    /// The `mx-tls` finding a sender meets first; nil when STARTTLS and the certificate passed.
    public let failure: FindingCode?
    /// What was seen, for the finding's detail.
    public let detail: String

    public init(failure: FindingCode?, detail: String) {
        self.failure = failure
        self.detail = detail
    }
}
