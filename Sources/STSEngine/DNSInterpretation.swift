/// What one DNS message says about (name, type): a final answer, or "follow this CNAME
/// target with a new query" when the chain leaves the message without data or a negative
/// answer for its end (an authoritative-only server does not chase cross-zone CNAMEs).
enum DNSInterpretation: Sendable {
    case answer(DNSAnswer)
    case chase(target: String, chain: [String])

    /// Longest CNAME chain followed inside one message.
    static let maxChainInMessage = 16

    /// `name` is in canonical form (`DNSQuery.canonical`).
    static func interpret(_ message: DNSMessage, name: String, type: DNSType) -> DNSInterpretation {
        switch message.rcode {
        case 0, 3: break
        case 2: return .answer(DNSAnswer(status: .servfail))
        case 5: return .answer(DNSAnswer(status: .refused))
        default: return .answer(DNSAnswer(status: .error("rcode \(message.rcode)")))
        }
        // c-ares retries a truncated UDP answer over TCP; one still truncated (TC=1 over
        // TCP) may miss records, so neither its records nor its emptiness are the answer.
        if message.truncated { return .answer(DNSAnswer(status: .error("truncated answer (TC=1 over TCP)"))) }
        var current = name
        var chain: [String] = []
        var seen: Set<String> = [name]
        while true {
            let data = message.answers.filter {
                $0.type == type.code && $0.rrClass == DNSMessage.classIN && $0.name == current
            }
            if !data.isEmpty {
                // Data for the end of the chain wins even over an NXDOMAIN rcode, which some
                // servers set for a later name of the chain.
                return .answer(collect(data, chain: chain))
            }
            guard let target = message.answers.lazy.compactMap({ record -> String? in
                guard record.name == current, record.rrClass == DNSMessage.classIN,
                      case .cname(let target) = record.data else { return nil }
                return target
            }).first else { break }
            if seen.contains(target) { return .answer(DNSAnswer(status: .error("CNAME loop"), cnameChain: chain + [target])) }
            guard chain.count < maxChainInMessage else {
                return .answer(DNSAnswer(status: .error("CNAME chain too long"), cnameChain: chain))
            }
            chain.append(target)
            seen.insert(target)
            current = target
        }
        if message.rcode == 3 { return .answer(DNSAnswer(status: .nxdomain, cnameChain: chain)) }
        if chain.isEmpty { return .answer(DNSAnswer(status: .nodata)) }
        // A SOA for an enclosing zone of the chain's end is the negative answer for it.
        let negative = message.authority.contains { record in
            record.type == DNSMessage.typeSOA && (record.name.isEmpty || record.name == current
                || current.hasSuffix("." + record.name))
        }
        return negative ? .answer(DNSAnswer(status: .nodata, cnameChain: chain))
                        : .chase(target: current, chain: chain)
    }

    private static func collect(_ records: [DNSMessage.Record], chain: [String]) -> DNSAnswer {
        var txt: [[UInt8]] = [], mx: [MXRecord] = [], addresses: [String] = []
        for record in records {
            switch record.data {
            case .txt(let bytes): txt.append(bytes)
            case .mx(let preference, let host): mx.append(MXRecord(preference: preference, host: host))
            case .a(let text), .aaaa(let text): addresses.append(text)
            case .cname, .soa, .other: break
            }
        }
        return DNSAnswer(status: .ok, cnameChain: chain, txt: txt, mx: mx, addresses: addresses)
    }
}
