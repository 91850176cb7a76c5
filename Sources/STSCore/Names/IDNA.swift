import CIDN2

/// U-label to A-label conversion (IDNA2008 with UTS #46 mapping) through libidn2.
/// Pure computation: libidn2 keeps no state between calls, so this is safe from any thread.
public enum IDNA {
    /// The A-label (ASCII, "xn--") form of `name`, lower-cased. Pure-ASCII names are only
    /// lower-cased (they are validated by `DomainName` / the mx-pattern syntax, not here).
    /// Tries non-transitional processing first (so "ß" stays distinct), then transitional,
    /// as browsers and mail software do. `nil` when libidn2 rejects the name either way.
    public static func toASCII(_ name: String) -> String? {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return lowercasedASCII(name) }
        // libidn2 takes a C string: an embedded NUL would silently cut the name short.
        if name.utf8.contains(0) { return nil }
        let nfc = Int32(IDN2_NFC_INPUT.rawValue)
        for mode in [IDN2_NONTRANSITIONAL, IDN2_TRANSITIONAL] {
            if let converted = convert(name, flags: nfc | Int32(mode.rawValue)) {
                return lowercasedASCII(converted)
            }
        }
        return nil
    }

    /// The Unicode (U-label) form of an A-label name such as `xn--p1ai` (`рф`), for display
    /// only; `nil` when libidn2 cannot decode it. Pure-ASCII names without `xn--` come back as given.
    public static func toUnicode(_ name: String) -> String? {
        guard name.lowercased().contains("xn--") else { return name }
        if name.utf8.contains(0) { return nil }
        var output: UnsafeMutablePointer<CChar>?
        let rc = name.withCString { idn2_to_unicode_8z8z($0, &output, 0) }
        defer { if let output { idn2_free(output) } }
        guard rc == Int32(IDN2_OK.rawValue), let output else { return nil }
        return String(cString: output)
    }

    private static func convert(_ name: String, flags: Int32) -> String? {
        var output: UnsafeMutablePointer<CChar>?
        let rc = name.withCString { idn2_to_ascii_8z($0, &output, flags) }
        defer { if let output { idn2_free(output) } }
        guard rc == Int32(IDN2_OK.rawValue), let output else { return nil }
        return String(cString: output)
    }

    static func lowercasedASCII(_ name: String) -> String {
        String(decoding: name.utf8.map(ASCII.lower), as: UTF8.self)
    }
}
