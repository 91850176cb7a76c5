import Testing
import STSEngine
@testable import STSScanner

/// Issue 22, one place records what a scan used: the keys of `scans.options` (data in users'
/// databases) stay as they were, every recorded value reads back through `--resume`, and the
/// options given on a command line name the keys they set.
@Suite struct RecordedOptionsTests {
    static func request() -> ScanRequest {
        ScanRequest(listPath: "list.txt", databasePath: "scan.sqlite", engine: EngineConfiguration(), pipeline: .init())
    }

    @Test func theRecordedKeysAreThoseOfExistingDatabases() {
        let keys = Set(Self.request().recordedOptions.keys)
        #expect(keys == [
            "concurrency", "batch_size", "dns_timeout_ms", "dns_tries", "dns_requeries", "dns_channels", "dns_in_flight",
            "dns_in_flight_cap", "rate", "ca_file", "fetch_timeout_ms", "connect_timeout_ms", "max_fetches", "per_ip",
            "per_ip_max_open", "per_ip_rate", "stall_after_ms", "max_stalled_fetches", "user_agent", "policy_port",
            "mx_probe", "ehlo_name", "smtp_port", "mx_per_ip", "smtp_timeout_ms",
        ])
        let defaults = Self.request().recordedOptions
        #expect(defaults["dns_in_flight"] == "adaptive" && defaults["rate"] == "unlimited" && defaults["ca_file"] == "system")
        #expect(defaults["dns_timeout_ms"] == "2000" && defaults["mx_probe"] == "policy" && defaults["policy_port"] == "443")
    }

    /// A record whose every value differs from the defaults, resumed with nothing given: the
    /// request takes each value, and names each option once in its own units.
    @Test func resumeAdoptsEveryRecordedValue() throws {
        var record = Self.request().recordedOptions
        let changed: [String: String] = [
            "concurrency": "7", "batch_size": "9", "dns_timeout_ms": "1500", "dns_tries": "2", "dns_requeries": "0",
            "dns_channels": "2", "dns_in_flight": "100", "dns_in_flight_cap": "100", "rate": "250.0", "ca_file": "/ca.pem",
            "fetch_timeout_ms": "7000", "connect_timeout_ms": "7000", "max_fetches": "8", "per_ip": "2",
            "per_ip_max_open": "5", "per_ip_rate": "3.5", "stall_after_ms": "4000", "max_stalled_fetches": "11",
            "user_agent": "agent/1", "policy_port": "8443", "mx_probe": "all", "ehlo_name": "scanner.example",
            "smtp_port": "2525", "mx_per_ip": "3", "smtp_timeout_ms": "5000",
        ]
        #expect(Set(changed.keys) == Set(record.keys))
        for (key, value) in changed {
            #expect(record[key] != value, "\(key) is its default")
            record[key] = value
        }
        var request = Self.request()
        request.givenOptions = []
        let (resumed, adopted) = try request.adoptingRecord(scanID: 1, options: record, resolvers: ["system"])
        #expect(resumed.recordedOptions == record)
        #expect(resumed.engine.adaptiveQueriesInFlight == false && resumed.engine.caFile == "/ca.pem")
        #expect(adopted.contains("--fetch-timeout 7") && adopted.contains("--dns-in-flight 100") && adopted.contains("--rate 250.0"))
        #expect(adopted.contains("batch_size 9") && adopted.contains("--per-ip-max 5") && adopted.contains("--mx-probe all"))
        #expect(adopted.filter { $0.hasPrefix("--fetch-timeout ") }.count == 1)
        #expect(adopted.filter { $0.hasPrefix("--dns-in-flight ") }.count == 1)
        #expect(adopted.count == changed.count - 2)
    }

    /// An option given with another value than the record is refused, by its command-line name.
    @Test func aGivenOptionThatDiffersIsRefusedByName() {
        var record = Self.request().recordedOptions
        record["fetch_timeout_ms"] = "7000"
        record["connect_timeout_ms"] = "7000"
        record["per_ip_max_open"] = "5"
        var request = Self.request()
        request.givenOptions = ScanRequest.recordedKeys(setBy: ["--fetch-timeout", "--per-ip-max"])
        #expect {
            _ = try request.adoptingRecord(scanID: 4, options: record, resolvers: ["system"])
        } throws: { error in
            guard case ScanError.resumeOptionsDiffer(4, let conflicts) = error else { return false }
            return conflicts.map(\.option) == ["--fetch-timeout", "--per-ip-max"]
                && conflicts[0].description.hasPrefix("--fetch-timeout: the scan has 7, this run gives ")
                && conflicts[1].description == "--per-ip-max: the scan has 5, this run gives 32"
        }
    }

    @Test func theOptionsGivenNameTheKeysTheySet() {
        #expect(ScanRequest.recordedKeys(setBy: ["--fetch-timeout", "--dns-in-flight", "--resolver", "--ca-file"])
                == ["fetch_timeout_ms", "connect_timeout_ms", "dns_in_flight", "dns_in_flight_cap", "resolvers", "ca_file"])
        #expect(ScanRequest.recordedKeys(setBy: []).isEmpty)
        #expect(ScanRequest.recordedKeys(setBy: ["--concurrency", "--dns-channels", "--mx-probe"])
                == ["concurrency", "dns_channels", "mx_probe"])
    }
}
