import Testing
@testable import STSEngine

@Suite("DNS answer interpretation")
struct DNSInterpretationTests {
    private func message(rcode: UInt8 = 0, answers: [(String, UInt16, [UInt8])], soa: String? = nil) throws -> DNSMessage {
        var wire = DNSWireBuilder(rcode: rcode, an: answers.count, ns: soa == nil ? 0 : 1)
        wire.question("q.test", type: 16)
        for (owner, type, rdata) in answers { wire.record(owner, type: type, rdata: rdata) }
        if let soa { wire.record(soa, type: 6, rdata: [0, 0] + [UInt8](repeating: 0, count: 20)) }
        return try DNSMessage(parsing: wire.bytes)
    }

    private func answer(_ result: DNSInterpretation) -> DNSAnswer? {
        if case .answer(let answer) = result { return answer }
        return nil
    }

    @Test("data at the query name")
    func direct() throws {
        let result = DNSInterpretation.interpret(
            try message(answers: [("q.test", 16, DNSWireBuilder.txt(["a", "b"])), ("q.test", 16, DNSWireBuilder.txt(["c"]))]),
            name: "q.test", type: .txt)
        let answer = try #require(self.answer(result))
        #expect(answer.status == .ok)
        #expect(answer.txt == [Array("ab".utf8), Array("c".utf8)])
        #expect(answer.cnameChain.isEmpty)
    }

    @Test("CNAME chain inside the message is followed and reported in order")
    func chainInMessage() throws {
        let result = DNSInterpretation.interpret(try message(answers: [
            ("q.test", 5, DNSWireBuilder.name("b.test")),
            ("b.test", 5, DNSWireBuilder.name("C.test")),
            ("c.test", 1, [127, 0, 61, 1]),
            ("other.test", 1, [127, 0, 61, 2]),
        ]), name: "q.test", type: .a)
        let answer = try #require(self.answer(result))
        #expect(answer.status == .ok)
        #expect(answer.cnameChain == ["b.test", "c.test"])
        #expect(answer.addresses == ["127.0.61.1"])
    }

    @Test("records of another type or owner do not count: nodata")
    func nodata() throws {
        let result = DNSInterpretation.interpret(try message(answers: [("q.test", 1, [1, 2, 3, 4]), ("x.test", 16, [1, 65])]),
                                                 name: "q.test", type: .txt)
        #expect(answer(result)?.status == .nodata)
    }

    @Test("rcodes map to statuses")
    func rcodes() throws {
        #expect(answer(DNSInterpretation.interpret(try message(rcode: 3, answers: []), name: "q.test", type: .txt))?.status == .nxdomain)
        #expect(answer(DNSInterpretation.interpret(try message(rcode: 2, answers: []), name: "q.test", type: .txt))?.status == .servfail)
        #expect(answer(DNSInterpretation.interpret(try message(rcode: 5, answers: []), name: "q.test", type: .txt))?.status == .refused)
        #expect(answer(DNSInterpretation.interpret(try message(rcode: 1, answers: []), name: "q.test", type: .txt))?.status == .error("rcode 1"))
    }

    @Test("NXDOMAIN at the end of a CNAME chain keeps the chain")
    func nxdomainChain() throws {
        let result = DNSInterpretation.interpret(try message(rcode: 3, answers: [("q.test", 5, DNSWireBuilder.name("gone.test"))]),
                                                 name: "q.test", type: .txt)
        let answer = try #require(self.answer(result))
        #expect(answer.status == .nxdomain)
        #expect(answer.cnameChain == ["gone.test"])
    }

    @Test("a CNAME target without data and without a negative answer is chased")
    func chase() throws {
        let result = DNSInterpretation.interpret(try message(answers: [("q.test", 5, DNSWireBuilder.name("x.other"))]),
                                                 name: "q.test", type: .txt)
        guard case .chase(let target, let chain) = result else { Issue.record("expected a chase"); return }
        #expect(target == "x.other")
        #expect(chain == ["x.other"])
    }

    @Test("a SOA for the target's zone is a negative answer: nodata, no chase")
    func negativeForTarget() throws {
        let result = DNSInterpretation.interpret(try message(answers: [("q.test", 5, DNSWireBuilder.name("x.other"))], soa: "other"),
                                                 name: "q.test", type: .txt)
        let answer = try #require(self.answer(result))
        #expect(answer.status == .nodata)
        #expect(answer.cnameChain == ["x.other"])
        // A SOA of an unrelated zone (the query's own) does not answer for the target.
        let unrelated = DNSInterpretation.interpret(
            try message(answers: [("q.test", 5, DNSWireBuilder.name("x.other"))], soa: "test"), name: "q.test", type: .txt)
        guard case .chase = unrelated else { Issue.record("expected a chase"); return }
    }

    @Test("CNAME loops inside one message are detected")
    func loop() throws {
        let result = DNSInterpretation.interpret(try message(answers: [
            ("q.test", 5, DNSWireBuilder.name("b.test")),
            ("b.test", 5, DNSWireBuilder.name("q.test")),
        ]), name: "q.test", type: .txt)
        #expect(answer(result)?.status == .error("CNAME loop"))
    }

    @Test("records of class other than IN are ignored")
    func classes() throws {
        var wire = DNSWireBuilder(an: 1)
        wire.question("q.test", type: 16)
        wire.record(owner: DNSWireBuilder.name("q.test"), type: 16, rrClass: 3, rdata: DNSWireBuilder.txt(["chaos"]))
        let result = DNSInterpretation.interpret(try DNSMessage(parsing: wire.bytes), name: "q.test", type: .txt)
        #expect(answer(result)?.status == .nodata)
    }
}
