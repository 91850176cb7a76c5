/// curl's error text without the clock: "Failed to connect to A port 443 after 4 ms" and
/// "Operation timed out after 20001 milliseconds with 0 bytes received" name how long this
/// run happened to take, so the same failure read differently in two scans of an unchanged
/// world and every CSV/JSON-lines diff churned. The time is the configured timeout's (or
/// meaningless for a refusal); what is kept says what happened.
enum CurlMessage {
    static func withoutTimings(_ message: String) -> String {
        guard message.contains(" after ") else { return message }
        return message.replacing(#/ after \d+ (ms|milliseconds)/#, with: "")
    }
}
