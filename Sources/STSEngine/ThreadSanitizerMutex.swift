#if STSSCAN_PTHREAD_MUTEX
#if canImport(Glibc)
import Glibc
#endif

/// Compiled only in ThreadSanitizer builds (`scripts/sanitize.sh thread` passes
/// `-DSTSSCAN_PTHREAD_MUTEX`); production builds use `Synchronization.Mutex`.
///
/// ThreadSanitizer cannot see the lock of `Synchronization.Mutex` on Linux: its futex fast
/// path runs inside the uninstrumented libswiftSynchronization, so TSan reports every
/// access the mutex guards as a race (a ten-line program with two threads appending to an
/// array under one `Mutex` reproduces it, with -Onone and -O). This stand-in has the same
/// `init` and `withLock` over a `pthread_mutex_t`, whose lock and unlock TSan intercepts,
/// so what TSan then reports are races in the code around the locks. Declared in the
/// module, it shadows the imported `Synchronization.Mutex`; the same file is linked into
/// every target whose code uses `Mutex`.
///
/// `@unchecked Sendable`: `value` is only touched between `pthread_mutex_lock` and unlock.
final class Mutex<Value>: @unchecked Sendable {
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    init(_ value: consuming Value) {
        self.value = value
        lock.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(lock, nil) == 0)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return try body(&value)
    }
}
#endif
