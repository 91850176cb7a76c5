/// What the SMTP dialogue of one probe looked like, gathered line by line from curl's debug
/// callback (server replies in, commands out). Bounded whatever the server sends: it keeps
/// counts, the greeting and the last reply line, never the whole conversation.
struct SMTPDialogue: Sendable, Equatable {
    /// Longest line kept for a detail.
    static let keptLineLength = 200
    /// Reply bytes accepted before the probe is stopped (an endless or enormous EHLO reply).
    static let maxReplyBytes = 65536

    private(set) var greeting: String?
    /// The greeting's last line ("220 ...", not a "220-" continuation) arrived: until then
    /// a stall is the greeting's, however many continuation lines came.
    private(set) var greetingEnded = false
    private(set) var lastReply: String?
    private(set) var lastCommand: String?
    private(set) var replyLines = 0
    private(set) var replyBytes = 0
    /// EHLO's reply listed STARTTLS.
    private(set) var startTLSOffered = false
    /// A reply line to EHLO arrived.
    private(set) var ehloAnswered = false
    /// "SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384": curl's own summary line.
    private(set) var tlsVersion: String?
    private(set) var tlsCipher: String?

    var overflowed: Bool { replyBytes > SMTPDialogue.maxReplyBytes }

    /// One chunk of server reply text (may hold several lines or part of one).
    mutating func received(_ bytes: UnsafeBufferPointer<UInt8>) {
        replyBytes += bytes.count
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let text = SMTPDialogue.visible(line)
            guard !text.isEmpty else { continue }
            replyLines += 1
            if greeting == nil { greeting = text }
            if lastCommand == nil && SMTPDialogue.isLastLine(text) { greetingEnded = true }
            lastReply = text
            if lastCommand?.uppercased().hasPrefix("EHLO") == true {
                ehloAnswered = true
                // "250-STARTTLS" or "250 STARTTLS" (RFC 3207 §4)
                let keyword = text.dropFirst(4).uppercased()
                if text.hasPrefix("250"), keyword == "STARTTLS" || keyword.hasPrefix("STARTTLS ") { startTLSOffered = true }
            }
        }
    }

    /// "250 text" or a bare "250" ends a reply; "250-text" continues it (RFC 5321 §4.2.1).
    static func isLastLine(_ text: String) -> Bool {
        let bytes = Array(text.utf8.prefix(4))
        guard bytes.count >= 3, bytes[0..<3].allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        return bytes.count == 3 || bytes[3] == UInt8(ascii: " ")
    }

    /// A command curl sent.
    mutating func sent(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = SMTPDialogue.visible(bytes[...])
        if !text.isEmpty { lastCommand = text }
    }

    /// One of curl's informational lines.
    mutating func note(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = SMTPDialogue.visible(bytes[...])
        let prefix = "SSL connection using "
        guard text.hasPrefix(prefix) else { return }
        let parts = text.dropFirst(prefix.count).split(separator: "/").map { $0.filter { $0 != " " } }
        tlsVersion = parts.first.map { String($0) }
        tlsCipher = parts.count > 1 ? String(parts[1]) : nil
    }

    /// Printable ASCII of a line, CR/LF dropped, others as `?`, cut to `keptLineLength`.
    static func visible(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        var out = ""
        for byte in bytes.prefix(keptLineLength + 1) where byte != 0x0D && byte != 0x0A {
            out.unicodeScalars.append(0x20...0x7E ~= byte ? UnicodeScalar(byte) : "?")
        }
        if bytes.count > keptLineLength { out = String(out.prefix(keptLineLength)) + "..." }
        return out
    }
}
