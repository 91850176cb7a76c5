import Foundation
import STSReport
#if canImport(Glibc)
import Glibc
#endif

/// The width text reports are laid out for: `COLUMNS` when set, else the terminal's own
/// width when the report goes to standard output on a terminal, else nil (files and pipes
/// get `TextRenderer.fitWidth`).
enum TerminalColumns {
    static func current(writingTo out: String?) -> Int? {
        var size = winsize()
        let toTerminal = (out == nil || out == "-") && isatty(STDOUT_FILENO) == 1
            && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0
        return TextRenderer.terminalWidth(environment: ProcessInfo.processInfo.environment,
                                          terminalColumns: toTerminal ? Int(size.ws_col) : nil)
    }
}
