/// Failures of the engine itself (not measurement outcomes, which are statuses and findings).
public enum EngineError: Error, Sendable, Equatable {
    /// A system call needed by the loop failed (name, errno).
    case system(String, Int32)
    /// c-ares refused to initialise or configure (function, ares status text).
    case cares(String, String)
    /// curl refused to initialise.
    case curl(String)
    /// A configuration value is unusable.
    case configuration(String)
}
