import Crypto
import Foundation

/// The SHA-256 of a whole list file, computed before a scan starts so `--resume` can tell
/// the list it continues from a changed one at the same path (a shuffled list would
/// otherwise store some domains twice and miss others). About 0.1 s per 50 MB.
public enum InputDigest {
    /// Hex SHA-256 of the file at `path`; nil for standard input and anything that is not a
    /// regular file (pipes cannot be read twice).
    public static func sha256(path: String) throws -> String? {
        guard path != "-" else { return nil }
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError.unreadable(path: path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw InputError.readFailed(path: path, reason: "\(error)")
            }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
