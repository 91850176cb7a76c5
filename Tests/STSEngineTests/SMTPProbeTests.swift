import Foundation
import Synchronization
import Testing
import STSCore
@testable import STSEngine

/// STARTTLS probes of MX hosts (rfc8461-8460-rules.md §5): TLS outcomes against a real
/// Postfix with test certificates, hostile servers against scripted listeners.
@Suite("engine STARTTLS probes", .serialized)
struct SMTPProbeTests {
    private func engine(caFile: String?, timeoutMs: Int = 1500) throws -> Engine {
        var configuration = EngineConfiguration()
        configuration.resolvers = ["127.0.64.250"] // unused: no DNS query is sent
        configuration.caFile = caFile
        configuration.smtpTimeoutMs = timeoutMs
        return try Engine(configuration: configuration)
    }

    private func code(_ result: SMTPProbeResult) -> FindingCode? { result.findingCode }

    @Test("TLS outcomes against Postfix", .enabled(if: InstalledServers.postfix, InstalledServers.needPostfix))
    func postfixOutcomes() async throws {
        let postfix = try PostfixFixture(name: "smtp-outcomes")
        defer { postfix.stop() }
        let engine = try engine(caFile: postfix.caFile)
        defer { engine.shutdown() }
        let tls = PostfixFixture.starttls

        let good = await engine.probeSMTP(host: "good.mx.test", address: tls, ehloName: "scanner.test")
        #expect(code(good) == nil, "\(good.outcome)")
        #expect(good.greeting?.hasPrefix("220 ") == true)
        #expect(good.tls?.dnsNames == ["good.mx.test", "*.wild.mx.test"])
        #expect(good.tls?.version?.hasPrefix("TLSv1.") == true)
        #expect(good.tls?.cipher?.isEmpty == false)
        #expect(good.tls?.issuer?.contains("stsscan SMTP test CA") == true)
        #expect(good.tls?.leafPEM?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
        #expect(good.tls?.notAfter != nil)

        // One left-most wildcard label (RFC 6125), through the default certificate.
        #expect(code(await engine.probeSMTP(host: "a.wild.mx.test", address: tls, ehloName: "scanner.test")) == nil)
        #expect(code(await engine.probeSMTP(host: "a.b.wild.mx.test", address: tls, ehloName: "scanner.test"))
                == .mxCertNameMismatch)

        let expired = await engine.probeSMTP(host: "expired.mx.test", address: tls, ehloName: "scanner.test")
        #expect(code(expired) == .mxCertExpired, "\(expired.outcome)")
        #expect(expired.tls?.dnsNames == ["expired.mx.test"]) // facts kept for failures too

        #expect(code(await engine.probeSMTP(host: "wrongname.mx.test", address: tls, ehloName: "scanner.test"))
                == .mxCertNameMismatch)
        #expect(code(await engine.probeSMTP(host: "selfsigned.mx.test", address: tls, ehloName: "scanner.test"))
                == .mxCertUntrusted)

        let plain = await engine.probeSMTP(host: "good.mx.test", address: PostfixFixture.plain, ehloName: "scanner.test")
        #expect(code(plain) == .mxStartTLSMissing, "\(plain.outcome)")
        #expect(plain.tls == nil)

        // Without the test CA in the trust store, the same good host is untrusted.
        let strict = try self.engine(caFile: nil)
        defer { strict.shutdown() }
        #expect(code(await strict.probeSMTP(host: "good.mx.test", address: tls, ehloName: "scanner.test")) == .mxCertUntrusted)

        // The session ended politely: Postfix logged our EHLO name and a QUIT.
        try await Task.sleep(for: .milliseconds(300))
        let log = (try? String(contentsOfFile: "\(postfix.directory)/maillog", encoding: .utf8)) ?? ""
        #expect(log.contains("quit=1"), "Postfix saw no QUIT")
        #expect(engine.statistics.smtpProbesStarted == engine.statistics.smtpProbesCompleted)
    }

    @Test("refused, 5xx greeting, tarpit, split and endless replies")
    func hostileServers() async throws {
        let engine = try engine(caFile: nil, timeoutMs: 1000)
        defer { engine.shutdown() }

        // Nothing listens.
        #expect(code(await engine.probeSMTP(host: "mx.test", address: "127.0.64.9", ehloName: "scanner.test"))
                == .mxConnectRefused)

        let rejecting = try FakeSMTPServer(address: "127.0.64.10") { fd in
            FakeSMTPServer.send(fd, "554 5.7.1 no scanners here\r\n")
            _ = FakeSMTPServer.readLine(fd)
        }
        defer { rejecting.stop() }
        let rejected = await engine.probeSMTP(host: "mx.test", address: "127.0.64.10", ehloName: "scanner.test")
        #expect(code(rejected) == .mxSMTPError, "\(rejected.outcome)")
        if case .failure(_, let detail) = rejected.outcome { #expect(detail.contains("554 5.7.1 no scanners here")) }

        // A tarpit costs its own timeout, and a probe of another host meanwhile is not held up.
        let tarpit = try FakeSMTPServer(address: "127.0.64.11", accept: false) { _ in }
        defer { tarpit.stop() }
        let split = try FakeSMTPServer(address: "127.0.64.12") { fd in
            for piece in ["2", "20 split", ".mx.test ESMTP\r", "\n"] {
                FakeSMTPServer.send(fd, piece)
                usleep(20_000)
            }
            guard FakeSMTPServer.readLine(fd)?.hasPrefix("EHLO scanner.test") == true else { return }
            for piece in ["250-split.mx.test\r\n250-PIPE", "LINING\r\n", "250 8BITMIME\r\n"] {
                FakeSMTPServer.send(fd, piece)
                usleep(20_000)
            }
            while let line = FakeSMTPServer.readLine(fd) {
                FakeSMTPServer.send(fd, line.uppercased().hasPrefix("QUIT") ? "221 bye\r\n" : "502 no\r\n")
            }
        }
        defer { split.stop() }
        let started = ContinuousClock.now
        async let tarpitted = engine.probeSMTP(host: "slow.mx.test", address: "127.0.64.11", ehloName: "scanner.test")
        let splitResult = await engine.probeSMTP(host: "split.mx.test", address: "127.0.64.12", ehloName: "scanner.test")
        let splitTime = ContinuousClock.now - started
        #expect(code(splitResult) == .mxStartTLSMissing, "\(splitResult.outcome)")
        #expect(splitResult.greeting == "220 split.mx.test ESMTP")
        #expect(splitTime < .milliseconds(900), "the tarpit held up another host's probe")
        let tarpitResult = await tarpitted
        #expect(code(tarpitResult) == .mxGreetingTimeout, "\(tarpitResult.outcome)")
        // The per-step timeout (1 s here), not the whole-probe limit (3 s).
        #expect(tarpitResult.elapsedMs < 1900, "\(tarpitResult.elapsedMs) ms")

        // An endless EHLO reply is cut at the cap, long before the timeout.
        let endless = try FakeSMTPServer(address: "127.0.64.13") { fd in
            FakeSMTPServer.send(fd, "220 endless.mx.test ESMTP\r\n")
            _ = FakeSMTPServer.readLine(fd)
            let line = "250-" + String(repeating: "X", count: 500) + "\r\n"
            for _ in 0..<100_000 { if send(fd, line, line.utf8.count, Int32(MSG_NOSIGNAL)) < 0 { return } }
        }
        defer { endless.stop() }
        let endlessResult = await engine.probeSMTP(host: "endless.mx.test", address: "127.0.64.13", ehloName: "scanner.test")
        #expect(code(endlessResult) == .mxSMTPError, "\(endlessResult.outcome)")
        #expect(endlessResult.elapsedMs < 900)

        // Closed before any greeting.
        let closing = try FakeSMTPServer(address: "127.0.64.14") { _ in }
        defer { closing.stop() }
        #expect(code(await engine.probeSMTP(host: "gone.mx.test", address: "127.0.64.14", ehloName: "scanner.test"))
                == .mxSMTPError)
    }

    /// A refused EHLO is an SMTP error (curl's "remote access denied", code 9, is not a probe
    /// failure of ours); a greeting of endless "220-" lines is a greeting that never ended.
    @Test("5xx to EHLO, endless greeting continuation")
    func refusedEHLOAndEndlessGreeting() async throws {
        let engine = try engine(caFile: nil, timeoutMs: 1000)
        defer { engine.shutdown() }

        let refusing = try FakeSMTPServer(address: "127.0.64.17") { fd in
            FakeSMTPServer.send(fd, "220 refusing.mx.test ESMTP\r\n")
            guard FakeSMTPServer.readLine(fd)?.hasPrefix("EHLO") == true else { return }
            FakeSMTPServer.send(fd, "554 5.7.1 go away\r\n")
            _ = FakeSMTPServer.readLine(fd)
        }
        defer { refusing.stop() }
        let refused = await engine.probeSMTP(host: "refusing.mx.test", address: "127.0.64.17", ehloName: "scanner.test")
        #expect(code(refused) == .mxSMTPError, "\(refused.outcome)")
        if case .failure(_, let detail) = refused.outcome { #expect(detail.contains("554 5.7.1 go away"), "\(detail)") }

        // One continuation line every 300 ms: the per-step timeout never fires, the whole-probe
        // limit (3 s) does.
        let dribbling = try FakeSMTPServer(address: "127.0.64.18") { fd in
            for index in 0..<40 {
                if send(fd, "220-line \(index)\r\n", "220-line \(index)\r\n".utf8.count, Int32(MSG_NOSIGNAL)) < 0 { return }
                usleep(300_000)
            }
        }
        defer { dribbling.stop() }
        let endless = await engine.probeSMTP(host: "dribble.mx.test", address: "127.0.64.18", ehloName: "scanner.test")
        #expect(code(endless) == .mxGreetingTimeout, "\(endless.outcome)")
        #expect(endless.elapsedMs < 5000, "\(endless.elapsedMs) ms")
    }

    /// An IPv6 literal reaches curl's CONNECT_TO in brackets (`host:25:[::1]:25`) and keys its
    /// own politeness slots (issue 20: IPv6-only MX hosts are probed where routable).
    @Test("IPv6 literal addresses", .enabled(if: AddressRoute.exists(to: "::1") && !Self.listening(onIPv6Loopback: 25)))
    func ipv6Literal() async throws {
        let engine = try engine(caFile: nil, timeoutMs: 1000)
        defer { engine.shutdown() }
        #expect(code(await engine.probeSMTP(host: "v6.mx.test", address: "::1", ehloName: "scanner.test")) == .mxConnectRefused)
        let server = try FakeSMTPServer(address: "::1") { fd in
            FakeSMTPServer.send(fd, "220 v6.mx.test ESMTP\r\n")
            guard FakeSMTPServer.readLine(fd)?.hasPrefix("EHLO scanner.test") == true else { return }
            FakeSMTPServer.send(fd, "250-v6.mx.test\r\n250 8BITMIME\r\n")
            while let line = FakeSMTPServer.readLine(fd) {
                FakeSMTPServer.send(fd, line.uppercased().hasPrefix("QUIT") ? "221 bye\r\n" : "502 no\r\n")
            }
        }
        defer { server.stop() }
        let result = await engine.probeSMTP(host: "v6.mx.test", address: "::1", ehloName: "scanner.test")
        #expect(code(result) == .mxStartTLSMissing, "\(result.outcome)")
        #expect(result.address == "::1" && result.greeting == "220 v6.mx.test ESMTP")
    }

    /// Whether something (a running world's Postfix) holds `[::1]:port`.
    static func listening(onIPv6Loopback port: UInt16) -> Bool {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = port.bigEndian
        inet_pton(AF_INET6, "::1", &sin6.sin6_addr)
        return withUnsafePointer(to: &sin6) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0 }
        }
    }

    /// Tarpits behind one address cost each probe its own timeout: a probe past its
    /// address's stall time stops holding one of the `mxPerIP` slots (up to `mxMaxOpen`).
    @Test("tarpits behind one address do not queue one timeout after another")
    func tarpitsDoNotSerialise() async throws {
        let tarpit = try FakeSMTPServer(address: "127.0.64.16", accept: false) { _ in }
        defer { tarpit.stop() }
        var configuration = EngineConfiguration()
        configuration.resolvers = ["127.0.64.250"]
        configuration.smtpTimeoutMs = 1000
        configuration.stallAfterMs = 250
        let engine = try Engine(configuration: configuration)
        defer { engine.shutdown() }
        let started = ContinuousClock.now
        let codes = await withTaskGroup(of: FindingCode?.self) { group in
            for index in 0..<6 {
                group.addTask {
                    self.code(await engine.probeSMTP(host: "t\(index).tarpit.mx.test", address: "127.0.64.16", ehloName: "scanner.test"))
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - started
        #expect(codes.allSatisfy { $0 == .mxGreetingTimeout }, "\(codes)")
        // Serialised two at a time it would take three timeouts (3 s).
        #expect(elapsed < .milliseconds(2300), "\(elapsed)")
        #expect(engine.statistics.smtpProbesStalled >= 4)
    }

    @Test("per-address politeness")
    func perAddressLimit() async throws {
        let active = Mutex((now: 0, peak: 0))
        let server = try FakeSMTPServer(address: "127.0.64.15") { fd in
            active.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
            usleep(150_000)
            FakeSMTPServer.send(fd, "220 polite.mx.test ESMTP\r\n")
            _ = FakeSMTPServer.readLine(fd)
            // Counted as over before the last reply: the client cannot start its next
            // connection before this one's reply, so any overlap seen is real.
            active.withLock { $0.now -= 1 }
            FakeSMTPServer.send(fd, "250 polite.mx.test\r\n")
            _ = FakeSMTPServer.readLine(fd)
        }
        defer { server.stop() }
        let engine = try engine(caFile: nil)
        defer { engine.shutdown() }
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask { _ = await engine.probeSMTP(host: "t\(index).polite.mx.test", address: "127.0.64.15", ehloName: "scanner.test") }
            }
        }
        #expect(active.withLock { $0.peak } <= EngineConfiguration().mxPerIP)
    }
}

/// The pure parts of a probe: certificate text, dialogue bookkeeping, failure mapping.
@Suite struct SMTPProbePartsTests {
    @Test func certificateTextToFacts() {
        var tls = MXTLSFacts()
        CertificateInfo.facts(chain: [["Subject:CN = mx.example", "Issuer:CN = Test CA", "Expire date:Dec  3 08:38:00 2026 GMT",
                                       "X509v3 Subject Alternative Name:DNS:mx.example, IP Address:192.0.2.1, DNS:*.mx.example"],
                                      []], into: &tls)
        #expect(tls.subject == "CN = mx.example")
        #expect(tls.dnsNames == ["mx.example", "*.mx.example"])
        #expect(tls.notAfter == "2026-12-03T08:38:00Z")
        #expect(tls.chainLength == 2)
        #expect(CertificateInfo.isoDate(openSSL: "yesterday") == nil)
    }

    @Test func dialogueIsBoundedAndSeesSTARTTLS() {
        var dialogue = SMTPDialogue()
        func feed(_ text: String, out: Bool = false) {
            Array(text.utf8).withUnsafeBufferPointer { out ? dialogue.sent($0) : dialogue.received($0) }
        }
        feed("220 mx.example ESMTP\r\n")
        feed("EHLO scanner.test\r\n", out: true)
        feed("250-mx.example\r\n250-STARTTLS\r\n250 8BITMIME\r\n")
        #expect(dialogue.greeting == "220 mx.example ESMTP" && dialogue.greetingEnded)
        #expect(dialogue.startTLSOffered && dialogue.ehloAnswered)
        #expect(!dialogue.overflowed)
        feed("250-" + String(repeating: "\u{1b}", count: SMTPDialogue.maxReplyBytes) + "\r\n")
        #expect(dialogue.overflowed)
        #expect(dialogue.lastReply?.count ?? 0 <= SMTPDialogue.keptLineLength + 3)
        #expect(dialogue.lastReply?.contains("\u{1b}") == false)
    }

    @Test func greetingEndsOnItsLastLine() {
        var dialogue = SMTPDialogue()
        func feed(_ text: String) { Array(text.utf8).withUnsafeBufferPointer { dialogue.received($0) } }
        feed("220-mx.example ESMTP\r\n220-still greeting\r\n")
        #expect(dialogue.greeting == "220-mx.example ESMTP" && !dialogue.greetingEnded)
        #expect(SMTPFailureMapping.map(SMTPProbeFacts(curlCode: FetchFailureMapping.operationTimedOut, connected: true,
                                                      dialogue: dialogue))?.failure == .greetingTimeout)
        feed("220 done\r\n")
        #expect(dialogue.greetingEnded)
        #expect(SMTPFailureMapping.map(SMTPProbeFacts(curlCode: FetchFailureMapping.operationTimedOut, connected: true,
                                                      dialogue: dialogue))?.failure == .replyTimeout)
        #expect(SMTPDialogue.isLastLine("250") && !SMTPDialogue.isLastLine("250-x") && !SMTPDialogue.isLastLine("25 x"))
        #expect(SMTPFailureMapping.map(SMTPProbeFacts(curlCode: SMTPFailureMapping.remoteAccessDenied, connected: true,
                                                      dialogue: dialogue))?.failure == .protocolError)
    }
}
