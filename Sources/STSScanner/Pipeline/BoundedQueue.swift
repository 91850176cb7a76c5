import Synchronization

/// A single-consumer FIFO with a fixed capacity: `send` suspends while the queue is full,
/// so a slow consumer (the SQLite writer) slows the producer instead of growing memory.
/// (`AsyncStream` buffers without bound by default.) Every continuation is resumed exactly
/// once, outside the lock.
public final class BoundedQueue<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var closed = false
        /// `abandon()` was called: elements sent are dropped, none is kept.
        var abandoned = false
        /// Senders parked because the queue was full, each with the element it carries.
        var parkedSenders: [(Element, CheckedContinuation<Void, Never>)] = []
        var waitingReceiver: CheckedContinuation<Element?, Never>?
    }

    private enum SendAction { case handToReceiver(CheckedContinuation<Element?, Never>), queued, parked }

    private let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Appends `element`, waiting while the queue holds `capacity` elements.
    public func send(_ element: Element) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let action: SendAction = state.withLock { state in
                if state.abandoned { return .queued }  // dropped: nobody will take it
                precondition(!state.closed, "send after close")
                if let receiver = state.waitingReceiver {
                    state.waitingReceiver = nil
                    return .handToReceiver(receiver)
                }
                if state.items.count < capacity {
                    state.items.append(element)
                    return .queued
                }
                state.parkedSenders.append((element, continuation))
                return .parked
            }
            switch action {
            case .handToReceiver(let receiver):
                receiver.resume(returning: element)
                continuation.resume()
            case .queued:
                continuation.resume()
            case .parked:
                break  // resumed by `receive` when its element moves into the queue
            }
        }
    }

    /// Marks the end of input; `receive` returns nil once the queue drains.
    public func close() {
        let receiver: CheckedContinuation<Element?, Never>? = state.withLock { state in
            state.closed = true
            defer { state.waitingReceiver = nil }
            return state.items.isEmpty && state.parkedSenders.isEmpty ? state.waitingReceiver : nil
        }
        receiver?.resume(returning: nil)
    }

    /// Closes the queue, drops what it holds and frees every parked sender; later sends
    /// return at once, dropping their element. For a consumer that is stuck for good (a
    /// `--jsonl` pipe nobody reads), so that producers never wait on it again.
    public func abandon() {
        let (receiver, senders): (CheckedContinuation<Element?, Never>?, [CheckedContinuation<Void, Never>]) =
            state.withLock { state in
                state.closed = true
                state.abandoned = true
                state.items = []
                defer { state.parkedSenders = []; state.waitingReceiver = nil }
                return (state.waitingReceiver, state.parkedSenders.map(\.1))
            }
        senders.forEach { $0.resume() }
        receiver?.resume(returning: nil)
    }

    /// Whether the consumer is parked in `receive` (for tests that must know it waits).
    var hasWaitingReceiver: Bool { state.withLock { $0.waitingReceiver != nil } }

    /// Senders parked in `send` because the queue was full.
    var parkedSenderCount: Int { state.withLock { $0.parkedSenders.count } }

    /// The next element, or nil when closed and drained. One consumer only.
    public func receive() async -> Element? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
            let (ready, item, sender): (Bool, Element?, CheckedContinuation<Void, Never>?) = state.withLock { state in
                if !state.items.isEmpty {
                    let item = state.items.removeFirst()
                    var sender: CheckedContinuation<Void, Never>?
                    if !state.parkedSenders.isEmpty {
                        let (parked, continuation) = state.parkedSenders.removeFirst()
                        state.items.append(parked)
                        sender = continuation
                    }
                    return (true, item, sender)
                }
                if state.closed { return (true, nil, nil) }
                precondition(state.waitingReceiver == nil, "BoundedQueue has one consumer")
                state.waitingReceiver = continuation
                return (false, nil, nil)
            }
            sender?.resume()
            if ready { continuation.resume(returning: item) }
        }
    }
}
