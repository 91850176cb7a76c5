// libFuzzer target: the `_mta-sts` TXT record parser (Sources/STSCore/Record).
// Input: a TXT RRset, records separated by NUL. Properties: rfc8461-8460-rules.md §1.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSTSRecord(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let records = fuzzRecords(fuzzBytes(data, size))
    let verdict = STSRecordParser.evaluate(rawRecords: records)
    fuzzCheck(verdict.status != .error, "the parser never returns error")
    fuzzCheck((verdict.status == .valid) == (verdict.id != nil), "an id exactly when valid")
    fuzzCheck(verdict.status != .valid || verdict.findings.isValid, "valid has no error finding")
    fuzzCheck(verdict.status == .valid || !verdict.findings.isEmpty, "not valid says why")
    if let id = verdict.id {
        fuzzCheck((1...32).contains(id.utf8.count) && id.utf8.allSatisfy(ASCII.isAlnum), "sts-id = 1*32(ALPHA / DIGIT)")
        let counted = records.filter { STSRecordParser.versionPrefix($0[...], "v=STSv1") == .delimited }
        fuzzCheck(counted.count == 1, "valid means exactly one record begins v=STSv1 *WSP \";\"")
    }
    if verdict.status == .absent {
        fuzzCheck(verdict.findings.map(\.code) == [.txtAbsent], "absent is txt-absent alone")
    }
    // The RRset is a set: the order of its records changes no verdict.
    let reversed = STSRecordParser.evaluate(rawRecords: records.reversed())
    fuzzCheck(reversed.status == verdict.status && reversed.id == verdict.id, "record order is irrelevant")
    return 0
}
