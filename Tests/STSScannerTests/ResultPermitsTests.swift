import Synchronization
import Testing
@testable import STSScanner

/// The pipeline's backpressure (architecture.md, "Concurrency"): workers wait for a permit
/// before taking an entry, and only the writer's progress frees permits.
@Suite struct ResultPermitsTests {
    @Test func aWaiterResumesOnlyWhenPermitsAreReleased() async {
        let permits = ResultPermits(limit: 2)
        await permits.acquire()
        await permits.acquire()
        let resumed = Counter()
        let waiter = Task {
            await permits.acquire()
            resumed.increment()
        }
        #expect(await eventually { permits.waiterCount == 1 }, "the waiter never parked")
        #expect(resumed.value == 0)  // none free: it waits
        permits.release(1)
        await waiter.value
        #expect(resumed.value == 1)
    }

    @Test func oneReleaseWakesAsManyWaitersAsItFrees() async {
        let permits = ResultPermits(limit: 1)
        await permits.acquire()
        let resumed = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    await permits.acquire()
                    resumed.increment()
                }
            }
            #expect(await eventually { permits.waiterCount == 5 }, "not every waiter parked")
            #expect(resumed.value == 0)
            permits.release(3)
            // release hands out the permits before it returns: exactly two still wait, and
            // they stay parked, so "3 resumed" below cannot be a count taken too early.
            #expect(permits.waiterCount == 2)
            #expect(await eventually { resumed.value == 3 })
            #expect(permits.waiterCount == 2)
            #expect(resumed.value == 3)
            permits.release(2)
        }
        #expect(resumed.value == 5)
    }
}

private final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
