/// The frame every report chart shares: italic notes under the x axis, then the `<svg>`
/// element with its size, font, accessible label and bold title. The charts draw the inside.
enum SVGFrame {
    /// Note lines (already measured from `top`) appended to `parts`; returns the chart's height.
    static func notes(_ notes: [String], x: Int, top: Int, into parts: inout [String]) -> Int {
        var height = top
        for note in notes {
            parts.append("<text x=\"\(x)\" y=\"\(height + 8)\" fill=\"#555\" font-style=\"italic\">\(HTMLEscaping.escape(note))</text>")
            height += 18
        }
        return height + 4
    }

    /// The opening `<svg>` element and the title, for a chart `width` x `height`.
    static func open(width: Int, height: Int, title: String, label: String) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
        out += "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#222\" "
        out += "role=\"img\" aria-label=\"\(HTMLEscaping.escape(label))\">\n"
        out += "<text x=\"8\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(HTMLEscaping.escape(title))</text>\n"
        return out
    }
}
