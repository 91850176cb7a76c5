import Foundation

/// Runs blocking work (waiting for the binary, starting servers) on a thread of its own.
///
/// Swift Testing runs suites in parallel on the cooperative pool, which has one thread per
/// core: two here. An async test that blocks one of them for a whole scan stalls every
/// other suite's awaits behind it, and their timing checks fail (seen in CI: a 0.3 s fetch
/// round measured as 5 s).
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
