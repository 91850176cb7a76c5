/// Why a TCP connection (to a policy host's port 443, or an MX host's port 25) was not made.
public enum ConnectFailure: Sendable, Equatable {
    /// The address refused the connection.
    case refused
    /// No connection within the connect timeout.
    case timeout
    /// Anything else (unreachable, reset, closed before it was established).
    case failed

    // errno values (Linux).
    static let econnrefused: Int32 = 111
    static let etimedout: Int32 = 110

    /// The failure behind curl's `CURLE_COULDNT_CONNECT`, by the socket's errno.
    init(osErrno: Int32) {
        switch osErrno {
        case Self.econnrefused: self = .refused
        case Self.etimedout: self = .timeout
        default: self = .failed
        }
    }
}
