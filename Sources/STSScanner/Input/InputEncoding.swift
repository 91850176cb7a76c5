/// The list must be UTF-8 (ASCII included). A UTF-16 or UTF-32 list, as some Windows tools
/// save text, would otherwise read as entries full of NUL bytes (a phantom `"\u{0}"` entry
/// and names that are no names), so it is refused before anything is scanned.
enum InputEncoding {
    /// Bytes looked at: a BOM, or NUL bytes in the first lines.
    static let sniffBytes = 4096

    /// Why `head` (the list's first bytes) is not UTF-8 text, or nil.
    static func problem(_ head: ArraySlice<UInt8>) -> String? {
        let bytes = Array(head.prefix(sniffBytes))
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) {
            return "it starts with a UTF-32 byte order mark"
        }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            return "it starts with a UTF-16 byte order mark"
        }
        // UTF-16/32 without a BOM: ASCII names leave a NUL beside every character. A stray
        // NUL in a UTF-8 list stays an invalid entry, and NUL alone (`/dev/zero`) an
        // overlong line, as before.
        let nuls = bytes.lazy.filter { $0 == 0 }.count
        if bytes.count >= 4, nuls * 4 >= bytes.count, nuls < bytes.count { return "\(nuls) of its first \(bytes.count) bytes are NUL (UTF-16 or UTF-32?)" }
        return nil
    }
}
