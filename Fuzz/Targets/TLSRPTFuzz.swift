// libFuzzer target: the `_smtp._tls` TXT record parser (Sources/STSCore/TLSRPT).
// Input: a TXT RRset, records separated by NUL. Properties: rfc8461-8460-rules.md §6.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTLSRPT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let records = fuzzRecords(fuzzBytes(data, size))
    let verdict = TLSRPTParser.evaluate(rawRecords: records)
    fuzzCheck(verdict.status != .error, "the parser never returns error")
    fuzzCheck(verdict.status != .valid || verdict.findings.isValid, "valid has no error finding")
    fuzzCheck((verdict.status == .valid) == !verdict.rua.isEmpty, "report URIs exactly when valid")
    for uri in verdict.rua {
        fuzzCheck(ReportURI.problem(Array(uri.utf8)[...]) == nil, "every rua URI passes the URI rule")
        fuzzCheck(!uri.utf8.contains { $0 == ASCII.comma || $0 == ASCII.semicolon || $0 == 0x21 || $0 <= 0x20 },
                  "no raw , ; ! or space inside a URI")
    }
    if verdict.status == .valid {
        let counted = records.filter { STSRecordParser.versionPrefix($0[...], "v=TLSRPTv1") == .delimited }
        fuzzCheck(counted.count == 1, "valid means exactly one record begins v=TLSRPTv1 *WSP \";\"")
    }
    let reversed = TLSRPTParser.evaluate(rawRecords: records.reversed())
    fuzzCheck(reversed.status == verdict.status && reversed.rua == verdict.rua, "record order is irrelevant")
    return 0
}
