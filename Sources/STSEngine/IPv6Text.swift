/// RFC 5952 text form of a 16-byte IPv6 address (lowercase hex, longest zero run of two or
/// more groups compressed to `::`, leftmost on ties).
enum IPv6Text {
    static func format(_ bytes: [UInt8]) -> String {
        precondition(bytes.count == 16)
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8 && groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                let length = index - runStart
                if length > bestLength { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var parts: [String] = []
        var index = 0
        var text = ""
        while index < 8 {
            if index == bestStart {
                text += (parts.isEmpty ? "" : parts.joined(separator: ":")) + "::"
                parts = []
                index += bestLength
                continue
            }
            parts.append(String(groups[index], radix: 16))
            index += 1
        }
        return text + parts.joined(separator: ":")
    }
}
