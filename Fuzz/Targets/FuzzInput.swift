// Shared by every fuzz target (compiled into each): the input as bytes, split into parts.

/// The fuzzer's input as an array.
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// A TXT RRset from one input: records separated by NUL bytes (a NUL inside a record is
/// legal on the wire but rare; the corpus seeds use it only as the separator).
func fuzzRecords(_ bytes: [UInt8]) -> [[UInt8]] {
    bytes.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
}

/// Stops the run with the property that failed: libFuzzer saves the input as a crash.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ property: StaticString, file: StaticString = #file, line: UInt = #line) {
    if !condition() { fatalError("property violated: \(property)", file: file, line: line) }
}
