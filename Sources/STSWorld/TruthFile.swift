import Foundation
import STSCore

/// Reads and formats `truth.csv` (RFC 4180 quoting; header line first).
public enum TruthFile {
    /// Parses a truth file. Throws `WorldError.badTruthFile` on a wrong header or row.
    public static func read(_ url: URL) throws -> [TruthRow] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [TruthRow] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            lineNumber += 1
            let cells = CSV.split(String(line))
            if lineNumber == 1 {
                guard cells == TruthRow.header else {
                    throw WorldError.badTruthFile(url.path, "unexpected header \(line)")
                }
                continue
            }
            guard cells.count == TruthRow.header.count, let rank = Int(cells[1]) else {
                throw WorldError.badTruthFile(url.path, "line \(lineNumber) malformed")
            }
            func opt(_ i: Int) -> String? { cells[i].isEmpty ? nil : cells[i] }
            var maxAge: Int?
            if let text = opt(8) {
                guard let value = Int(text) else {
                    throw WorldError.badTruthFile(url.path, "line \(lineNumber): max_age \(text)")
                }
                maxAge = value
            }
            if let delivery = opt(12), Delivery(rawValue: delivery) == nil {
                throw WorldError.badTruthFile(url.path, "line \(lineNumber): delivery \(delivery)")
            }
            rows.append(TruthRow(domain: cells[0], rank: rank, scenario: cells[2], mxStatus: cells[3],
                                 stsRecord: cells[4], stsID: opt(5), policyStatus: opt(6), mode: opt(7),
                                 maxAge: maxAge, mxCoverage: opt(9), tlsrptRecord: cells[10],
                                 errorCode: opt(11), delivery: opt(12)))
        }
        return rows
    }

    /// One CSV line (with trailing newline) for a row.
    static func line(_ row: TruthRow) -> String { CSV.join(row.cells) }

    /// The header line.
    static var headerLine: String { CSV.join(TruthRow.header) }
}

/// Minimal RFC 4180 CSV: quote a cell only when it needs it.
enum CSV {
    static func join(_ cells: [String]) -> String {
        cells.map { cell in
            if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return cell
        }.joined(separator: ",") + "\n"
    }

    static func split(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line.hasSuffix("\r") ? String(line.dropLast()) : line).makeIterator()
        var pending: Character? = iterator.next()
        while let char = pending {
            pending = iterator.next()
            if quoted {
                if char == "\"" {
                    if pending == "\"" { current.append("\""); pending = iterator.next() } else { quoted = false }
                } else { current.append(char) }
            } else if char == "\"" {
                quoted = true
            } else if char == "," {
                cells.append(current)
                current = ""
            } else {
                current.append(char)
            }
        }
        cells.append(current)
        return cells
    }
}
