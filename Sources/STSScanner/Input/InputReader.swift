import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
    /// The caller's task was cancelled while the input was read: it ends here.
    private var stopped = false
    /// One read's worth of bytes, reused.
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var hasher = SHA256()
    private var lineNumber = 0
    private var nextPosition = 0
    /// Entries handed out so far.
    public var entriesRead: Int { nextPosition }
    /// Bytes read so far.
    public private(set) var bytesRead = 0

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
            // A file is judged before the scan records anything (standard input at its first read).
            var head = [UInt8](repeating: 0, count: InputEncoding.sniffBytes)
            let count = head.withUnsafeMutableBytes { pread(h.fileDescriptor, $0.baseAddress, $0.count, 0) }
            if count > 0, let problem = InputEncoding.problem(head[..<count]) {
                try? h.close()
                throw InputError.notUTF8(path: path, reason: problem)
            }
        }
    }

    deinit { if closeOnDeinit { try? handle.close() } }

    /// What `nextAvailable()` found.
    public enum Next: Sendable {
        case entry(InputEntry)
        /// The input has no complete line yet (a pipe or terminal that pauses).
        case notYet
        case end
    }

    /// The next entry, or nil at the end of the input. Waits for a pausing pipe; returns
    /// nil early when the calling task is cancelled (Ctrl-C while standard input is idle,
    /// or an endless line such as `/dev/zero`).
    public func next() throws -> InputEntry? {
        // Waiting, `read` only ends without an entry at the end or when stopped.
        guard case .entry(let entry) = try read(wait: true) else { return nil }
        return entry
    }

    /// The next entry if one is complete without waiting: a probe worker that gets
    /// `.notYet` sleeps and asks again, so no thread blocks on an idle pipe (finished
    /// results keep being stored meanwhile).
    public func nextAvailable() throws -> Next { try read(wait: false) }

    private func read(wait: Bool) throws -> Next {
        while true {
            guard let line = try nextLine(wait: wait) else { return stopped || atEOF ? .end : .notYet }
            lineNumber += 1
            switch InputLineParser.parse(line, firstEntry: nextPosition == 0) {
            case .skip:
                continue
            case let .entry(rank, raw, problem):
                defer { nextPosition += 1 }
                return .entry(InputEntry(position: nextPosition, line: lineNumber, rank: rank, raw: raw, problem: problem))
            }
        }
    }

    /// Hex SHA-256 of everything read; meaningful once `next()` returned nil.
    public func sha256Hex() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The next line; nil at the end, when stopped, or (not waiting) when no complete line
    /// is available yet.
    private func nextLine(wait: Bool) throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[bufferStart..<newline]
                bufferStart = newline + 1
                return line
            }
            if buffer.count - bufferStart > InputLineParser.maxLineBytes * 2 {
                // An overlong line: its leading blanks say nothing (a blank or `#` comment
                // line stays one however long), so drop them before deciding.
                while bufferStart < buffer.count, Self.isBlank(buffer[bufferStart]) { bufferStart += 1 }
                if buffer.count - bufferStart > InputLineParser.maxLineBytes * 2 {
                    // Cut here so memory stays bounded; the rest is discarded up to its newline.
                    let result = Array(buffer[bufferStart..<(bufferStart + InputLineParser.maxLineBytes + 1)])[...]
                    guard try discardRestOfLine() else { return nil }
                    return result
                }
                continue
            }
            if atEOF {
                guard bufferStart < buffer.count else { return nil }
                let line = buffer[bufferStart...]
                bufferStart = buffer.count
                return line
            }
            if stopped { return nil }
            guard try fill(wait: wait) else { return nil }
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// Skips to the end of the current line; false when stopped first.
    private func discardRestOfLine() throws -> Bool {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: UInt8(ascii: "\n")) {
                bufferStart = newline + 1
                return true
            }
            buffer.removeAll(keepingCapacity: true)
            bufferStart = 0
            if atEOF { return true }
            if stopped { return false }
            _ = try fill(wait: true)
        }
    }

    /// Reads the next chunk. Waiting, it polls the descriptor in short steps and gives up
    /// (`stopped`) when the calling task is cancelled; not waiting, false when nothing is
    /// ready. True when data or the end of the input arrived.
    private func fill(wait: Bool) throws -> Bool {
        if Task.isCancelled {
            stopped = true
            return false
        }
        var descriptor = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, wait ? 100 : 0)
            if ready > 0 { break }
            if ready < 0 && errno != EINTR {
                throw InputError.readFailed(path: name, reason: String(cString: strerror(errno)))
            }
            if !wait { return false }
            if Task.isCancelled {
                stopped = true
                return false
            }
        }
        if bufferStart > 0 {
            buffer.removeFirst(bufferStart)
            bufferStart = 0
        }
        var count = 0
        repeat {
            count = chunk.withUnsafeMutableBytes { Glibc.read(handle.fileDescriptor, $0.baseAddress, $0.count) }
        } while count < 0 && errno == EINTR
        if count > 0 {
            if bytesRead == 0, let problem = InputEncoding.problem(chunk[..<count]) {
                throw InputError.notUTF8(path: name, reason: problem)
            }
            hasher.update(data: chunk[..<count])
            bytesRead += count
            buffer.append(contentsOf: chunk[..<count])
        }
        if count < 0 {
            if errno == EAGAIN { return wait }  // a non-blocking descriptor with nothing yet
            throw InputError.readFailed(path: name, reason: String(cString: strerror(errno)))
        }
        if count == 0 { atEOF = true }
        return true
    }
}

/// The tool's own failures reading a list (not measurement outcomes).
public enum InputError: Error, CustomStringConvertible, Sendable {
    case unreadable(path: String)
    case isDirectory(path: String)
    case readFailed(path: String, reason: String)
    /// UTF-16 or UTF-32 text (`InputEncoding`).
    case notUTF8(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the domain list '\(path)': no such file or no permission"
        case .isDirectory(let path): "'\(path)' is a directory, not a domain list"
        case .readFailed(let path, let reason): "reading '\(path)' failed: \(reason)"
        case .notUTF8(let path, let reason):
            "the domain list '\(path)' is not UTF-8: \(reason); save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8) and scan again"
        }
    }
}
