// libFuzzer target: MX host matching (Sources/STSCore/MX). Input: pattern NUL host (UTF-8,
// invalid sequences replaced). Properties: rfc8461-8460-rules.md §4.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMXMatcher(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let separator = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let pattern = String(decoding: bytes[..<separator], as: UTF8.self)
    let host = String(decoding: bytes[min(separator + 1, bytes.endIndex)...], as: UTF8.self)

    let matched = MXMatcher.matches(pattern: pattern, host: host)
    let problem = MXMatcher.hostProblem(host)
    fuzzCheck(problem == nil || !matched, "a malformed host matches nothing")
    let verdict = MXMatcher.evaluate(patterns: [pattern], mxHosts: [host])
    fuzzCheck(verdict.covered == [matched], "evaluate agrees with matches")
    fuzzCheck(verdict.coverage == (matched ? .all : .none), "one host: all or none")
    fuzzCheck(verdict.findings.contains { $0.code == .mxHostInvalid } == (problem != nil), "mx-host-invalid exactly for malformed hosts")
    if !host.hasSuffix(".") {
        fuzzCheck(MXMatcher.matches(pattern: pattern, host: host + ".") == matched, "one root dot changes nothing")
    }
    // Case-insensitive: upper-casing the host's ASCII letters changes nothing.
    let upper = String(decoding: host.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
    fuzzCheck(MXMatcher.matches(pattern: pattern, host: upper) == matched, "matching ignores ASCII case")
    return 0
}
