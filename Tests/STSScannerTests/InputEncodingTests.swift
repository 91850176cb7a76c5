import Foundation
import Testing
@testable import STSScanner

/// Issue 25: a UTF-16 or UTF-32 list is refused with a message saying it must be UTF-8,
/// instead of entries full of NUL bytes.
@Suite struct InputEncodingTests {
    @Test func utf16And32ListsAreRefused() throws {
        let text = "example.com\nexample.org\n"
        let lists: [(String, [UInt8])] = [
            ("UTF-16 byte order mark", [0xFF, 0xFE] + Array(text.data(using: .utf16LittleEndian)!)),
            ("UTF-16 byte order mark", [0xFE, 0xFF] + Array(text.data(using: .utf16BigEndian)!)),
            ("NUL", Array(text.data(using: .utf16LittleEndian)!)),
            ("UTF-32 byte order mark", [0xFF, 0xFE, 0x00, 0x00] + Array(text.data(using: .utf32LittleEndian)!)),
        ]
        for (reason, bytes) in lists {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-utf16-\(UUID()).txt").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect {
                _ = try InputReader(path: path)
            } throws: { error in
                "\(error)".contains("is not UTF-8") && "\(error)".contains(reason)
            }
        }
    }

    @Test func utf8ListsAndAStrayNULPass() {
        #expect(InputEncoding.problem(Array("bücher.example\nexample.com\n".utf8)[...]) == nil)
        #expect(InputEncoding.problem(Array("\u{FEFF}example.com\n".utf8)[...]) == nil, "a UTF-8 BOM is UTF-8")
        #expect(InputEncoding.problem(Array("exa\u{0}mple.com\nexample.org\n".utf8)[...]) == nil)
        #expect(InputEncoding.problem([0xFF, 0xFE, 0x65, 0x00][...]) != nil)
    }
}
