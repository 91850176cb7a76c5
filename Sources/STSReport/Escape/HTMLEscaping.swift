/// HTML/XML text and attribute escaping (also used inside inline SVG). Control characters
/// are made visible first, so a cell cannot smuggle anything but text.
public enum HTMLEscaping {
    /// `keepNewlines` for `<pre>` blocks, where a line break is content.
    public static func escape(_ text: String, keepNewlines: Bool = false) -> String {
        var out = ""
        for character in VisibleText.escape(text, keepNewlines: keepNewlines) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
