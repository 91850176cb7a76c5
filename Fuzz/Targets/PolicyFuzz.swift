// libFuzzer target: the policy body parser (Sources/STSCore/Policy).
// Input: a policy body as served. Properties: rfc8461-8460-rules.md §3.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = fuzzBytes(data, size)
    let verdict = PolicyParser.evaluate(body)
    fuzzCheck(verdict.isValid == verdict.findings.isValid, "valid exactly when no error finding")
    fuzzCheck(verdict.isValid || !verdict.findings.isEmpty, "invalid says why")
    if let maxAge = verdict.maxAge {
        fuzzCheck((0...PolicyParser.maxAgeLimit).contains(maxAge), "max_age within 0...31557600")
    }
    if verdict.isValid {
        fuzzCheck(verdict.version == "STSv1", "a valid policy is STSv1")
        fuzzCheck(verdict.mode != nil && verdict.maxAge != nil, "mode and max_age are required")
        fuzzCheck(verdict.mode == PolicyMode.none || !verdict.mx.isEmpty, "mx required unless mode none")
        fuzzCheck(verdict.mx.allSatisfy { MXPatternSyntax.problem($0) == nil }, "every mx of a valid policy is a valid pattern")
    }
    // LF and CRLF line ends are equivalent (erratum 6253).
    if !body.contains(ASCII.cr) && body.contains(ASCII.lf) {
        let crlf = body.flatMap { $0 == ASCII.lf ? [ASCII.cr, ASCII.lf] : [$0] }
        let other = PolicyParser.evaluate(crlf)
        fuzzCheck(other.isValid == verdict.isValid && other.mode == verdict.mode && other.maxAge == verdict.maxAge
                  && other.mx == verdict.mx && other.findings.map(\.code) == verdict.findings.map(\.code),
                  "CRLF parses as LF")
    }
    return 0
}
