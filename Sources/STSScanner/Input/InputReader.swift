import Crypto
import Foundation

/// Streams a domain list from a file or standard input, one entry at a time, never loading
/// the whole list. Computes the SHA-256 of the bytes read, for the scan's metadata.
///
/// Not thread-safe: one consumer (the scan feeder) pulls entries.
public final class InputReader {
    /// The name recorded in the scan metadata (`-` for standard input).
    public let name: String
    private let handle: FileHandle
    private let closeOnDeinit: Bool
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    private var atEOF = false
    private var hasher = SHA256()
    private var lineNumber = 0
    private var nextPosition = 0
    /// Entries handed out so far.
    public var entriesRead: Int { nextPosition }

    /// Opens `path`, or standard input for `-`.
    public init(path: String) throws {
        name = path
        if path == "-" {
            handle = FileHandle.standardInput
            closeOnDeinit = false
        } else {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw InputError.unreadable(path: path)
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw InputError.isDirectory(path: path)
            }
            guard let h = FileHandle(forReadingAtPath: path) else { throw InputError.unreadable(path: path) }
            handle = h
            closeOnDeinit = true
        }
    }

    deinit { if closeOnDeinit { try? handle.close() } }

    /// The next entry, or nil at the end of the input.
    public func next() throws -> InputEntry? {
        while let line = try nextLine() {
            lineNumber += 1
            switch InputLineParser.parse(line) {
            case .skip:
                continue
            case let .entry(rank, raw, problem):
                defer { nextPosition += 1 }
                return InputEntry(position: nextPosition, line: lineNumber, rank: rank, raw: raw, problem: problem)
            }
        }
        return nil
    }

    /// Hex SHA-256 of everything read; meaningful once `next()` returned nil.
    public func sha256Hex() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[bufferStart..<newline]
                bufferStart = newline + 1
                return line
            }
            // A line longer than the cap is cut here so memory stays bounded; the rest of
            // it is discarded up to its newline.
            if buffer.count - bufferStart > InputLineParser.maxLineBytes * 2 {
                let line = buffer[bufferStart..<(bufferStart + InputLineParser.maxLineBytes + 1)]
                let result = Array(line)[...]
                try discardRestOfLine()
                return result
            }
            if atEOF {
                guard bufferStart < buffer.count else { return nil }
                let line = buffer[bufferStart...]
                bufferStart = buffer.count
                return line
            }
            try fill()
        }
    }

    private func discardRestOfLine() throws {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: UInt8(ascii: "\n")) {
                bufferStart = newline + 1
                return
            }
            buffer.removeAll(keepingCapacity: true)
            bufferStart = 0
            if atEOF { return }
            try fill()
        }
    }

    private func fill() throws {
        if bufferStart > 0 {
            buffer.removeFirst(bufferStart)
            bufferStart = 0
        }
        let chunk: Data
        do {
            chunk = try handle.read(upToCount: 1 << 16) ?? Data()
        } catch {
            throw InputError.readFailed(path: name, reason: "\(error)")
        }
        if chunk.isEmpty {
            atEOF = true
            return
        }
        hasher.update(data: chunk)
        buffer.append(contentsOf: chunk)
    }
}

/// The tool's own failures reading a list (not measurement outcomes).
public enum InputError: Error, CustomStringConvertible, Sendable {
    case unreadable(path: String)
    case isDirectory(path: String)
    case readFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the domain list '\(path)': no such file or no permission"
        case .isDirectory(let path): "'\(path)' is a directory, not a domain list"
        case .readFailed(let path, let reason): "reading '\(path)' failed: \(reason)"
        }
    }
}
