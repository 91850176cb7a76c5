/// Builds the raw query the engine hands to `ares_send`: one question, RD set, and an EDNS0
/// OPT record (RFC 6891) advertising `ednsSize` as the last 11 bytes (where c-ares 1.18
/// expects it when it strips EDNS after a FORMERR).
enum DNSQuery {
    /// Returns `nil` when `name` cannot be a DNS name (empty label, label > 63 octets,
    /// name > 255 octets). A trailing dot is allowed; `""` and `"."` mean the root.
    static func build(name: String, type: DNSType, ednsSize: UInt16 = 1232) -> [UInt8]? {
        // One allocation: this runs on the loop thread for every query of a scan.
        var message: [UInt8] = []
        message.reserveCapacity(12 + name.utf8.count + 2 + 4 + 11)
        message.append(contentsOf: [
            0, 0, // id: c-ares replaces it
            0x01, 0x00, // RD
            0, 1, 0, 0, 0, 0, 0, 1, // QD=1 AN=0 NS=0 AR=1
        ])
        guard appendWireName(name, to: &message) else { return nil }
        message.append(contentsOf: [UInt8(type.code >> 8), UInt8(type.code & 0xFF), 0, 1])
        message.append(contentsOf: [0, 0, 41, UInt8(ednsSize >> 8), UInt8(ednsSize & 0xFF), 0, 0, 0, 0, 0, 0])
        return message
    }

    /// Wire form of a name given as text (labels taken as raw UTF-8 octets).
    static func wireName(_ name: String) -> [UInt8]? {
        var wire: [UInt8] = []
        return appendWireName(name, to: &wire) ? wire : nil
    }

    /// Appends the wire form of `name`; false when it cannot be a DNS name (then `out` holds
    /// a partial name and must be discarded).
    private static func appendWireName(_ name: String, to out: inout [UInt8]) -> Bool {
        let start = out.count
        var text = name.utf8[...]
        if text.last == UInt8(ascii: ".") { text = text.dropLast() }
        if !text.isEmpty {
            var lengthAt = out.count
            var length = 0
            out.append(0)
            for byte in text {
                if byte == UInt8(ascii: ".") {
                    guard (1...63).contains(length) else { return false }
                    out[lengthAt] = UInt8(length)
                    lengthAt = out.count
                    length = 0
                    out.append(0)
                } else {
                    out.append(byte)
                    length += 1
                }
            }
            guard (1...63).contains(length) else { return false }
            out[lengthAt] = UInt8(length)
        }
        out.append(0)
        return out.count - start <= 255
    }

    /// The engine's canonical text form of a name: ASCII lowercase, no trailing dot.
    static func canonical(_ name: String) -> String {
        var bytes = Array(name.utf8)
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        for index in bytes.indices where (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[index]) {
            bytes[index] += 32
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
