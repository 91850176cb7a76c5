/// Counters since the engine started. A snapshot; read `Engine.statistics` again for news.
public struct EngineStatistics: Sendable, Equatable {
    /// Queries handed to c-ares (CNAME chases included; c-ares' retries are not).
    public var dnsQueriesSent = 0
    /// Retransmissions c-ares made after a try timed out (sum of its `timeouts` counts).
    public var dnsRetries = 0
    /// Lookups that ended in a timeout: every try of every round timed out
    /// (`EngineConfiguration.dnsRequeries`).
    public var dnsTimeouts = 0
    /// Lookups asked again after every try timed out (a round of `dnsRequeries`).
    public var dnsRequeries = 0
    /// Of those, lookups that got an answer in a later round: timeouts the load caused.
    public var dnsRequeriesAnswered = 0
    /// Queries that got a DNS message back.
    public var dnsResponses = 0
    /// Extra queries sent to follow a CNAME whose target was not in the answer.
    public var dnsCNAMEChases = 0
    /// DNS queries allowed in flight now (`DNSWindow`), and the smallest and largest value
    /// it had so far (equal for a fixed window).
    public var dnsWindow = 0
    public var dnsWindowSmallest = 0
    public var dnsWindowLargest = 0
    /// Times the adaptive window shrank because answers queued (delay above the lowest round
    /// trip) and because tries were lost.
    public var dnsWindowDelayDecreases = 0
    public var dnsWindowLossDecreases = 0
    /// Lowest DNS round trip seen, in microseconds (0 before the first answer or with a fixed window).
    public var dnsBaseRttUs = 0
    /// Resolve calls finished (any status).
    public var resolvesCompleted = 0
    /// Transfers handed to curl.
    public var fetchesStarted = 0
    /// Transfers that ended (any outcome).
    public var fetchesCompleted = 0
    /// Transfers that ran past their address's stall time and stopped holding a per-IP
    /// slot (`EngineConfiguration.stallAfterMs`).
    public var fetchesStalled = 0
    /// Body bytes received (within the cap).
    public var bodyBytes = 0
    /// Transfers whose TLS handshake completed.
    public var tlsHandshakes = 0
    /// STARTTLS probes of MX hosts handed to curl.
    public var smtpProbesStarted = 0
    /// Probes that ended (any outcome).
    public var smtpProbesCompleted = 0
    /// Probes that ran past their address's stall time and stopped holding a slot.
    public var smtpProbesStalled = 0
    /// Probes whose TLS handshake completed.
    public var smtpHandshakes = 0
    /// Calls that ended because their task was cancelled.
    public var cancelled = 0
    /// Requests the loop holds right now (waiting for a rate token, a politeness slot or a
    /// fetch slot, or running). 0 when the engine is idle: nothing is kept after completion.
    public var inFlight = 0
    /// Wake-ups of the loop thread (epoll returns); requests served per wake-up shows batching.
    public var loopIterations = 0
    /// The loop thread's nice value: `EngineConfiguration.loopNice` when the system granted
    /// it, else 0.
    public var loopNice = 0

    public init() {}
}
