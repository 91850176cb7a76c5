import STSStore

/// Answers "is this position already stored?" for ascending positions by walking the
/// store's ascending cursor alongside the input, so resuming a 10^7-domain scan does not
/// load the finished set into memory.
public struct PositionSkipper {
    private var cursor: PositionCursor?
    private var current: Int?
    private var started = false

    /// Nothing finished (a new scan).
    public static var none: PositionSkipper { PositionSkipper(cursor: nil) }

    public init(cursor: PositionCursor?) { self.cursor = cursor }

    /// Positions must be asked in ascending order.
    public mutating func isFinished(_ position: Int) throws -> Bool {
        guard let cursor else { return false }
        if !started {
            current = try cursor.next()
            started = true
        }
        while let c = current, c < position { current = try cursor.next() }
        return current == position
    }
}
