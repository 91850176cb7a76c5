import STSCore

/// RFC 8461 §3.3 as applied to a completed HTTP exchange: only a 200 served as
/// `text/plain` is a policy (rfc8461-8460-rules.md §2). Pure.
public enum HTTPResponseRules {
    /// The fetch-stage finding for a response that is not a policy, or nil when the body
    /// should be parsed as one.
    public static func failure(status: Int, contentType: String?, location: String?) -> Finding? {
        switch status {
        case 200:
            break
        case 300..<400:
            let target = location.map { " -> \($0)" } ?? ""
            return Finding(.httpRedirect, "HTTP \(status)\(target)")
        case 404:
            return Finding(.httpNotFound, "HTTP 404")
        default:
            return Finding(.httpStatus, "HTTP \(status)")
        }
        let mediaType = contentType.map(mediaTypeOf) ?? ""
        if mediaType != "text/plain" {
            return Finding(.httpContentType, contentType.map { "Content-Type: \($0)" } ?? "no Content-Type")
        }
        return nil
    }

    /// `text/plain; charset=utf-8` -> `text/plain` (parameters ignored, case-insensitive).
    static func mediaTypeOf(_ header: String) -> String {
        let type = header.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingASCIIWhitespace().lowercased()
    }
}
