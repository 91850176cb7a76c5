import STSCore

/// Everything that tunes the engine: resolvers, DNS timing, HTTPS limits and politeness.
///
/// The defaults suit a survey of the real internet; tests and benchmarks override them.
public struct EngineConfiguration: Sendable {
    /// DNS servers as `"IP"` or `"IP:PORT"` (`"[IPv6]:PORT"` for IPv6 with a port).
    /// Empty means the system's resolv.conf (c-ares' own default).
    public var resolvers: [String] = []
    /// Time c-ares waits for one try of one query, in milliseconds.
    public var dnsTimeoutMs: Int = 2000
    /// How many times c-ares sends a query before it reports a timeout.
    public var dnsTries: Int = 3
    /// Rounds a lookup whose every try timed out is asked again (another `dnsTries`) before
    /// it is reported as a timeout. Under load a resolver path drops queries that it would
    /// answer; a later round, at a window that has reacted, tells such noise from a name
    /// whose servers really do not answer (those cost their own timeout once more).
    public var dnsRequeries: Int = 1
    /// Independent c-ares channels. Each has one UDP socket (one source port) per server and
    /// its own 16-bit query-id space, so several spread ports and ids.
    public var dnsChannels: Int = 4
    /// DNS queries handed to c-ares at once, over all channels; further queries wait in the
    /// loop. With `adaptiveQueriesInFlight` this is the cap of the adaptive window, else the
    /// fixed number. Bursts of answers beyond what the resolver and the UDP buffers take
    /// cost retries or timeouts (dnsdist in the test world dropped at 1024 and 2048 in
    /// flight, never at 256). With latency L seconds the rate is at most in-flight / L
    /// (Little's law): 100 ms needs 1000 in flight for 10,000 queries/s.
    public var maxQueriesInFlight: Int = 2048
    /// Adapt the queries in flight to the resolver (`DNSWindow`: grows with answers, shrinks
    /// when the lowest round trip rises above the lowest seen, halves after a period with more
    /// than 1% lost tries), between 16 and `maxQueriesInFlight`. False: exactly
    /// `maxQueriesInFlight` (`--dns-in-flight N`).
    public var adaptiveQueriesInFlight: Bool = true
    /// Token bucket on DNS queries sent by the engine (CNAME chases included, c-ares' own
    /// retries not). `nil` means unlimited.
    public var maxQueriesPerSecond: Double? = nil
    /// PEM bundle of trusted CAs; `nil` means the system trust store.
    public var caFile: String? = nil
    /// Whole-transfer limit for one policy fetch, in milliseconds.
    public var fetchTimeoutMs: Int = 20000
    /// Limit for the TCP + TLS connection phase, in milliseconds.
    public var connectTimeoutMs: Int = 10000
    /// HTTPS transfers in flight at once (admission control: never more easy handles in the
    /// curl multi handle than this).
    public var maxFetches: Int = 64
    /// Fetches an address serves at once (politeness); further fetches to that address wait
    /// in a FIFO. A fetch stops counting here once it has stalled (`stallAfterMs`).
    public var perIP: Int = 4
    /// STARTTLS probes of MX hosts in flight at once.
    public var maxSMTPProbes: Int = 64
    /// Concurrent SMTP connections per MX address. Mail servers block scanners that open
    /// many connections: keep it small (README, "Scanning port 25 responsibly").
    public var mxPerIP: Int = 2
    /// SMTP connections open to one MX address at most, stalled ones included (a probe past
    /// its address's stall time, `stallAfterMs` at most, stops counting against `mxPerIP`).
    public var mxMaxOpen: Int = 8
    /// Limit for each wait of a STARTTLS probe (TCP connect, greeting, each reply), in
    /// milliseconds; a whole probe takes at most three of them.
    public var smtpTimeoutMs: Int = 10000
    /// Ceiling of the stall time: a fetch running longer than 8x its address's typical fetch
    /// time (at least 200 ms), and at most this long, is treated as hung. It stays open
    /// until its own `fetchTimeoutMs`, but no longer holds a per-IP or a `maxFetches` slot,
    /// so hung hosts cost their own timeout and not everyone else's (see `AddressSlots`).
    public var stallAfterMs: Int = 3000
    /// Connections open to one address at most, stalled ones included: an address whose
    /// hosts all hang cannot take every connection. Values below `perIP` mean `perIP`.
    public var perIPMaxOpen: Int = 32
    /// New fetches started per second to one address at most (a token bucket of `perIP`
    /// tokens); `nil`: no rate limit beyond `perIP` and the stall rule.
    public var perIPConnectionsPerSecond: Double? = nil
    /// Stalled transfers kept running at once beyond `maxFetches` (all addresses). When
    /// reached, further slow transfers keep their slots until they end.
    public var maxStalledFetches: Int = 256
    /// The User-Agent header of every fetch.
    public var userAgent: String = "stsscan/\(STSScanVersion.current) (+MTA-STS survey)"
    /// Whether policy fetches gather the server's certificate (`FetchResult.certificate`, for
    /// `check`). Off for surveys, which store no policy-host certificate: curl's CERTINFO
    /// formats every certificate of every chain as text, and finishing handshakes that
    /// OpenSSL would stop cost ~5% of a scan's CPU at 2% adoption.
    public var policyCertificates: Bool = false
    /// Largest policy body accepted; a longer body aborts the transfer (`http-body-too-large`).
    public var maxBodyBytes: Int = PolicyParser.maxBodyBytes
    /// Requests the loop holds at once (DNS and HTTPS, waiting or running). Further requests
    /// wait in the submission queue, in order, until the loop has room; this bounds every
    /// list inside the loop.
    public var maxOutstanding: Int = 65536
    /// Nice value asked for the loop thread. It is the scan's one serial stage: every lookup
    /// and fetch passes through it, so when it waits for a core the whole pipeline waits
    /// (measured on 2 shared cores: -10 cut idle CPU by half and raised domains/s by about
    /// 12%). Lowering nice needs root or CAP_SYS_NICE (`ulimit -e`); without it the loop keeps
    /// the normal priority and `EngineStatistics.loopNice` says so. `nil` leaves it alone.
    public var loopNice: Int? = -10
    /// Period of the loop's fixed tick (c-ares timeouts, token-bucket refill), milliseconds.
    public var tickMs: Int = 25

    public init() {}
}
