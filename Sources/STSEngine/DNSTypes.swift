/// The record types the scanner asks for.
public enum DNSType: Sendable, Hashable {
    case a, aaaa, mx, txt

    /// The RR type number (RFC 1035 §3.2.2, RFC 3596).
    var code: UInt16 {
        switch self {
        case .a: return 1
        case .aaaa: return 28
        case .mx: return 15
        case .txt: return 16
        }
    }
}

/// How a lookup ended. `error` carries a short reason (malformed answer, CNAME loop, ...).
public enum DNSStatus: Sendable, Equatable {
    case ok, nodata, nxdomain, timeout, servfail, refused
    case error(String)
}

/// One MX record.
public struct MXRecord: Sendable, Equatable {
    public let preference: Int
    /// Exchange host, lowercased, no trailing dot; `""` for the null MX (RFC 7505).
    public let host: String

    public init(preference: Int, host: String) {
        self.preference = preference
        self.host = host
    }
}

/// The answer to one `Engine.resolve` call, after following CNAMEs.
public struct DNSAnswer: Sendable {
    public let status: DNSStatus
    /// CNAME targets followed from the query name, in order (lowercased, no trailing dot).
    public let cnameChain: [String]
    /// TXT: one entry per record, its character-strings concatenated.
    public let txt: [[UInt8]]
    /// MX records in answer order.
    public let mx: [MXRecord]
    /// A/AAAA addresses as text.
    public let addresses: [String]
    /// Milliseconds from the call to this answer (CNAME chases and retries included).
    public var elapsedMs: Int = 0

    public init(status: DNSStatus, cnameChain: [String] = [], txt: [[UInt8]] = [],
                mx: [MXRecord] = [], addresses: [String] = []) {
        self.status = status
        self.cnameChain = cnameChain
        self.txt = txt
        self.mx = mx
        self.addresses = addresses
    }
}

/// One question of a batched `Engine.resolve`: a name and the record type asked for.
public struct DNSLookup: Sendable, Hashable {
    public let name: String
    public let type: DNSType

    public init(_ name: String, _ type: DNSType) {
        self.name = name
        self.type = type
    }
}
