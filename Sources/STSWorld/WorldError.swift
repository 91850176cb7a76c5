/// Failures of the world tool itself (not measurement outcomes).
public enum WorldError: Error, CustomStringConvertible, Sendable {
    case badArguments(String)
    case directoryNotEmpty(String)
    case badTruthFile(String, String)
    case missingBinaries([String], packages: [String])
    case alreadyRunning(String, pid: Int32)
    case addressInUse(String, address: String)
    /// `resolver start --listen` names an address and port where something answers DNS.
    case resolverAddressInUse(address: String)
    case spawnFailed(String, errno: Int32)
    case serverNotReady(String, log: String, lastLines: String)
    case stopFailed(String, pid: Int32)
    case io(String)

    public var description: String {
        switch self {
        case .badArguments(let text): return text
        case .directoryNotEmpty(let dir):
            return "\(dir) is not empty and holds no world.json; refusing to write a world there"
        case .badTruthFile(let path, let why): return "\(path): \(why)"
        case .missingBinaries(let missing, let packages):
            return "missing \(missing.joined(separator: ", ")); install them with: apt-get install \(packages.joined(separator: " "))"
        case .alreadyRunning(let name, let pid):
            return "\(name) of this world is already running (pid \(pid)); run `stsscan world stop` first"
        case .addressInUse(let name, let address):
            return "something already answers on \(address), where this world's \(name) should listen; "
                + "stop that server or build the world with another --address-block"
        case .resolverAddressInUse(let address):
            return "something already answers DNS on \(address) (another resolver?): the port is in use; "
                + "stop that server, or choose another address or port with --listen IP:PORT (any 127.x.y.z, e.g. 127.0.0.154:5300)"
        case .spawnFailed(let name, let code): return "could not start \(name): errno \(code)"
        case .serverNotReady(let name, let log, let lastLines):
            return "\(name) did not answer in time; see its log \(log)\n\(lastLines)"
        case .stopFailed(let name, let pid): return "\(name) (pid \(pid)) did not exit after SIGKILL"
        case .io(let text): return text
        }
    }
}
