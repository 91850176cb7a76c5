/// A word as a POSIX shell reads it back unchanged, for commands printed as hints
/// (`stsscan resolver stop '/tmp/my dir'`): as is when it holds only safe characters,
/// else in single quotes, each `'` written as `'\''`.
public enum ShellQuote {
    public static func word(_ text: String) -> String {
        let safe = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "/._-+:,=@%".unicodeScalars.contains(scalar))
        }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
