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

    /// The consumer is seen parked in `receive` before `close`, so this tests the wake-up,
    /// not a `receive` that found the queue already closed.
    @Test func closeWakesAWaitingReceiver() async {
        let queue = BoundedQueue<Int>(capacity: 1)
        let consumer = Task { await queue.receive() }
        #expect(await eventually { queue.hasWaitingReceiver }, "the consumer never parked")
        queue.close()
        #expect(await consumer.value == nil)
        #expect(!queue.hasWaitingReceiver)
    }

    /// A sender seen parked on a full queue is resumed by `receive`, its element kept in order.
    @Test func receiveResumesAParkedSender() async {
        let queue = BoundedQueue<Int>(capacity: 1)
        await queue.send(1)
        let sender = Task { await queue.send(2) }
        #expect(await eventually { queue.parkedSenderCount == 1 }, "the sender never parked")
        #expect(await queue.receive() == 1)
        await sender.value
        #expect(queue.parkedSenderCount == 0)
        queue.close()
        #expect(await queue.receive() == 2)
        #expect(await queue.receive() == nil)
    }

    /// `abandon` frees a parked sender, drops what was queued, and later sends return at once.
    @Test func abandonFreesSendersAndDropsElements() async {
        let queue = BoundedQueue<Int>(capacity: 1)
        await queue.send(1)
        let sender = Task { await queue.send(2) }
        #expect(await eventually { queue.parkedSenderCount == 1 }, "the sender never parked")
        queue.abandon()
        await sender.value
        await queue.send(3)
        #expect(await queue.receive() == nil)
    }
}
