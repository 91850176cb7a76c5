#if canImport(Glibc)
import Glibc
#endif
import CAres
import CCurl

/// The DNS + HTTPS engine: one event-loop thread owning c-ares and the curl multi handle,
/// reached through async calls that any number of tasks may make at once.
///
/// Every call returns exactly once: with its result, with a failure when the calling task
/// is cancelled (promptly, without waiting for the network), or with a failure when the
/// engine shuts down.
///
/// Lifetime: `Engine.run(configuration:) { engine in ... }` stops the engine when its body
/// ends, awaiting the loop thread; `stop()` does the same for an engine made with `init`.
/// An engine dropped without either stops its loop in the background.
public final class Engine: Sendable {
    private let loop: EventLoop

    /// Starts the loop thread. Throws `EngineError` when the loop or the libraries cannot be
    /// set up (bad resolver strings included).
    public init(configuration: EngineConfiguration) throws {
        _ = Engine.libraryInitialisation
        loop = try EventLoop(configuration: configuration)
        try loop.start()
    }

    deinit { loop.stopDetached() }

    /// Runs `body` with a new engine and stops the engine when `body` returns or throws.
    /// Throws `EngineError` when the engine cannot start (and does not run `body`).
    public static func run<Result>(configuration: EngineConfiguration,
                                   isolation: isolated (any Actor)? = #isolation,
                                   _ body: (Engine) async throws -> Result) async throws -> Result {
        let engine = try Engine(configuration: configuration)
        return try await engine.whileRunning(body)
    }

    /// Runs `body` and then stops this engine, whether `body` returned or threw.
    public func whileRunning<Result>(isolation: isolated (any Actor)? = #isolation,
                                     _ body: (Engine) async throws -> Result) async throws -> Result {
        let result: Result
        do {
            result = try await body(self)
        } catch {
            await stop()
            throw error
        }
        await stop()
        return result
    }

    /// Stops the loop (pending and later calls resume with failures) and waits for its
    /// thread without blocking one of Swift's shared threads. Safe to call more than once.
    public func stop() async { await loop.stop() }

    /// Looks up `name` (a trailing dot is optional) for `type`, following CNAMEs, with
    /// new queries when the chain leaves the answer (at most 8, loops detected).
    public func resolve(_ name: String, _ type: DNSType) async -> DNSAnswer {
        await resolve([DNSLookup(name, type)])[0]
    }

    /// Runs several lookups at once and returns their answers in the same order, resuming
    /// the caller once (cheaper than one call per lookup: a scan asks three per domain).
    public func resolve(_ lookups: [DNSLookup]) async -> [DNSAnswer] {
        guard !lookups.isEmpty else { return [] }
        return await loop.perform(DNSRequest(lookups: lookups))
    }

    /// GET `https://host[:port]/.well-known/mta-sts.txt`, connecting to `address` (curl
    /// never resolves: `CURLOPT_CONNECT_TO host:port:address:port`), with SNI, Host and the
    /// certificate check for `host`, no redirects followed and the body capped.
    public func fetchPolicy(host: String, address: String, port: Int = 443) async -> FetchResult {
        await loop.perform(FetchRequest(host: host, address: address, port: port))
    }

    /// Probes the MX host `host` at `address` the way a sending MTA would (RFC 8461 §5,
    /// RFC 3207): the 220 greeting, `EHLO ehloName`, STARTTLS, the TLS handshake with SNI
    /// `host`, then the certificate: chain and dates against the trust store
    /// (`EngineConfiguration.caFile`) and its names against `host` (RFC 6125); then QUIT.
    /// Politeness: at most `mxPerIP` probes per address at once.
    public func probeSMTP(host: String, address: String, port: Int = 25, ehloName: String) async -> SMTPProbeResult {
        await loop.perform(SMTPRequest(host: host, address: address, port: port, ehloName: ehloName))
    }

    /// Stops the loop and waits for its thread, blocking the calling thread (for synchronous
    /// code and tests; async code uses `run` or `stop`). Pending and later calls resume with
    /// failures. Safe to call more than once.
    public func shutdown() { loop.shutdown() }

    /// Counters since start (updated once per loop iteration).
    public var statistics: EngineStatistics { loop.statistics }

    /// The c-ares and libcurl versions in use (for the scan's metadata record).
    public static var libraryVersions: (cares: String, curl: String) {
        let cares = String(cString: ares_version(nil))
        let curl = String(cString: stscurl_version_number())
        return (cares, curl)
    }

    /// `curl_global_init` and `ares_library_init` are not thread-safe: run them once,
    /// before the first loop (a global `let` is initialised exactly once).
    ///
    /// SIGPIPE is ignored process-wide: a peer that closes a connection must be a recorded
    /// outcome, never the end of a scan. curl sends with `MSG_NOSIGNAL`, but with
    /// `CURLOPT_NOSIGNAL` it leaves SIGPIPE to the application, and c-ares 1.18 writes TCP
    /// queries with `writev`, which raises it when the resolver has closed the connection
    /// (seen: the transport-fault test died of signal 13 under AddressSanitizer).
    private static let libraryInitialisation: Void = {
        signal(SIGPIPE, SIG_IGN)
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        ares_library_init(ARES_LIB_INIT_ALL)
    }()
}
