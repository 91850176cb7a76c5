/// A FIFO with O(1) amortised append and removal at the front (the standard library has no
/// deque and swift-collections is not among the project's dependencies). Storage shrinks
/// back when the queue drains, so a burst does not pin memory.
struct RingBuffer<Element> {
    private var storage: [Element?] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }

    mutating func append(_ element: Element) { storage.append(element) }

    /// The front element, left in place.
    var first: Element? { head < storage.count ? storage[head] : nil }

    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        storage[head] = nil
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.count <= 1024)
            head = 0
        } else if head >= 1024 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Removes and returns everything, front first.
    mutating func drain() -> [Element] {
        defer { storage = []; head = 0 }
        return storage[head...].map { $0! }
    }
}
