import STSEngine

/// One key of `scans.options`: a setting a scan used, recorded so every figure is
/// reproducible and `--resume` continues with it. The keys are data in users' databases:
/// never rename one. Every key is declared once, in `ScanRequest.recordedOptionTable`.
struct RecordedOption {
    /// The key in `scans.options`.
    let key: String
    /// The command-line option that sets it (`--fetch-timeout`); nil when none does.
    let option: String?
    /// Whether `--resume` names the key when it adopts it; false for a key that follows
    /// another key of the same option (`connect_timeout_ms` follows `fetch_timeout_ms`).
    let listedWhenAdopted: Bool
    /// The recorded text of a request's value.
    let read: (ScanRequest) -> String
    /// Sets a request's value from its recorded text; false when the text does not read.
    let write: (inout ScanRequest, String) -> Bool

    init(_ key: String, _ option: String?, listedWhenAdopted: Bool = true,
         read: @escaping (ScanRequest) -> String, write: @escaping (inout ScanRequest, String) -> Bool) {
        self.key = key
        self.option = option
        self.listedWhenAdopted = listedWhenAdopted
        self.read = read
        self.write = write
    }

    /// A whole number, recorded as digits.
    static func int(_ key: String, _ option: String?, _ path: WritableKeyPath<ScanRequest, Int>,
                    listedWhenAdopted: Bool = true) -> RecordedOption {
        RecordedOption(key, option, listedWhenAdopted: listedWhenAdopted, read: { String($0[keyPath: path]) }, write: {
            guard let n = Int($1) else { return false }
            $0[keyPath: path] = n
            return true
        })
    }

    /// A text, recorded as it is.
    static func text(_ key: String, _ option: String?, _ path: WritableKeyPath<ScanRequest, String>) -> RecordedOption {
        RecordedOption(key, option, read: { $0[keyPath: path] }, write: { $0[keyPath: path] = $1; return true })
    }

    /// A rate limit, recorded as a number or "unlimited" (nil).
    static func limit(_ key: String, _ option: String?, _ path: WritableKeyPath<ScanRequest, Double?>) -> RecordedOption {
        RecordedOption(key, option, read: { $0[keyPath: path].map { String($0) } ?? "unlimited" }, write: {
            if $1 == "unlimited" {
                $0[keyPath: path] = nil
            } else {
                guard let rate = Double($1) else { return false }
                $0[keyPath: path] = rate
            }
            return true
        })
    }
}
