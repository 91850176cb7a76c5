import Testing
@testable import STSScanner

@Suite struct BoundedQueueTests {
    /// Every element arrives once, in order, with a producer much faster than the consumer.
    @Test func deliversInOrderUnderBackpressure() async {
        let queue = BoundedQueue<Int>(capacity: 2)
        let producer = Task {
            for i in 0..<1000 { await queue.send(i) }
            queue.close()
        }
        var received: [Int] = []
        while let value = await queue.receive() {
            received.append(value)
            if value % 100 == 0 { await Task.yield() }
        }
        await producer.value
        #expect(received == Array(0..<1000))
    }

    @Test func closeWakesAWaitingReceiver() async {
        let queue = BoundedQueue<Int>(capacity: 1)
        let consumer = Task { await queue.receive() }
        try? await Task.sleep(for: .milliseconds(20))
        queue.close()
        #expect(await consumer.value == nil)
    }
}
