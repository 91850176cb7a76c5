import Foundation

/// What is known about a scan when it starts: recorded in `scans` so every figure derived
/// from it can be reproduced (versions, resolvers, every option, the input).
public struct ScanMetadata: Sendable, Hashable {
    public var startedAt: Date
    public var toolVersion: String
    public var caresVersion: String
    public var curlVersion: String
    public var sqliteVersion: String
    /// The resolvers queried, as given (`IP[:PORT]`); stored as a JSON array.
    public var resolvers: [String]
    /// Every option of the run by name; stored as a JSON object.
    public var options: [String: String]
    /// The input list's file name (`-` for stdin).
    public var inputName: String
    /// Which part of a sharded list this run covers, e.g. `2/8`; nil when unsharded.
    public var shard: String?

    public init(startedAt: Date, toolVersion: String, caresVersion: String, curlVersion: String,
                sqliteVersion: String, resolvers: [String], options: [String: String],
                inputName: String, shard: String? = nil) {
        self.startedAt = startedAt
        self.toolVersion = toolVersion
        self.caresVersion = caresVersion
        self.curlVersion = curlVersion
        self.sqliteVersion = sqliteVersion
        self.resolvers = resolvers
        self.options = options
        self.inputName = inputName
        self.shard = shard
    }
}
