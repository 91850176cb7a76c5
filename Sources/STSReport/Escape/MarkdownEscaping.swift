/// Escapes text for a GitHub-flavoured Markdown table cell or paragraph: control characters
/// made visible, Markdown punctuation (`\` `` ` `` `*` `_` `[` `]` `|` `#` `~`) backslash-escaped,
/// and `<` `>` `&` as entities so raw HTML in the data is never rendered.
public enum MarkdownEscaping {
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in VisibleText.escape(text) {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~": out += "\\" + String(character)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(character)
            }
        }
        return out
    }
}
