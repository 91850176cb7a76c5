import Foundation

/// Polls `condition` until it holds or `seconds` pass; true when it held. For tests that
/// must see a task reach a state (parked on a continuation) before acting, instead of
/// sleeping and hoping it got there.
func eventually(seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return true
}
