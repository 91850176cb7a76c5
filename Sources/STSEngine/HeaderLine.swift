/// Picks Content-Type and Location out of response header lines.
enum HeaderLine {
    static let maxValue = 4096

    static func apply(_ line: UnsafeBufferPointer<UInt8>, to transfer: Transfer) {
        if line.starts(with: Array("HTTP/".utf8)) {
            // A new response (after an interim 1xx): forget the previous one's headers.
            transfer.contentType = nil
            transfer.location = nil
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        guard name == "content-type" || name == "location" else { return }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 || last == 0x0D || last == 0x0A { value = value.dropLast() }
        let text = String(decoding: value.prefix(maxValue), as: UTF8.self)
        if name == "content-type" {
            if transfer.contentType == nil { transfer.contentType = text }
        } else if transfer.location == nil {
            transfer.location = text
        }
    }
}
