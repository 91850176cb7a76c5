import Foundation

/// An NSD on 127.0.61.1:53 serving the engine tests' zones: `test.` (TXT, MX, A, AAAA,
/// CNAMEs, a TXT RRset larger than 1232 bytes), `many.test.` (20,000 names with distinct
/// TXT data) and `broken.` (configured without a zone file: NSD answers SERVFAIL).
final class NSDFixture {
    let directory: String
    private let server: ServerProcess
    static let manyNames = 20_000
    static let bigRecords = 12

    init(name: String) throws {
        directory = try TestSupport.directory(name)
        let bigRRset = (0..<NSDFixture.bigRecords).map { index in
            "big IN TXT \"\(index)-\(String(repeating: "x", count: 180))\""
        }.joined(separator: "\n")
        let zone = """
        $ORIGIN test.
        $TTL 300
        @ IN SOA ns.test. admin.test. 1 3600 600 86400 300
        @ IN NS ns.test.
        ns IN A \(TestAddresses.nsd)
        txt1 IN TXT "v=STSv1; id=20240101;"
        multi IN TXT "part one " "part two"
        two IN TXT "first"
        two IN TXT "second"
        mx1 IN MX 20 Mail2.Test.
        mx1 IN MX 10 mail1.test.
        nullmx IN MX 0 .
        host IN A 127.0.61.10
        host IN A 127.0.61.11
        host IN AAAA 2001:db8::10
        alias IN CNAME txt1.test.
        alias2 IN CNAME alias.test.
        dangling IN CNAME nothere.test.
        hostalias IN CNAME host.test.
        loop1 IN CNAME loop2.test.
        loop2 IN CNAME loop1.test.
        outside IN CNAME name.example.
        \(bigRRset)
        """
        try zone.write(toFile: "\(directory)/test.zone", atomically: true, encoding: .utf8)
        var many = "$ORIGIN many.test.\n$TTL 300\n@ IN SOA ns.test. admin.test. 1 3600 600 86400 300\n@ IN NS ns.test.\n"
        many.reserveCapacity(NSDFixture.manyNames * 24)
        for index in 0..<NSDFixture.manyNames { many += "n\(index) IN TXT \"\(index)\"\n" }
        try many.write(toFile: "\(directory)/many.zone", atomically: true, encoding: .utf8)
        let configuration = """
        server:
            ip-address: \(TestAddresses.nsd)
            port: 53
            username: ""
            chroot: ""
            zonesdir: "\(directory)"
            pidfile: "\(directory)/nsd.pid"
            database: ""
            xfrdfile: "\(directory)/xfrd.state"
            zonelistfile: "\(directory)/zone.list"
            logfile: "\(directory)/nsd.log"
            server-count: 1
            verbosity: 1
            rrl-ratelimit: 0
            do-ip6: no
            tcp-count: 200
            hide-version: yes
        remote-control:
            control-enable: no
        zone:
            name: "test."
            zonefile: "test.zone"
        zone:
            name: "many.test."
            zonefile: "many.zone"
        zone:
            name: "broken."
            zonefile: "missing.zone"
        """
        try configuration.write(toFile: "\(directory)/nsd.conf", atomically: true, encoding: .utf8)
        server = try ServerProcess(name: "nsd", executable: "/usr/sbin/nsd",
                                   arguments: ["-d", "-c", "\(directory)/nsd.conf"], log: "\(directory)/nsd.out")
        do {
            try TestSupport.waitForTCP(TestAddresses.nsd, 53)
            // Zones load after the sockets open: wait until the last one answers.
            try TestSupport.shell("for i in $(seq 100); do dig +short +time=1 +tries=1 @\(TestAddresses.nsd) n19999.many.test TXT | grep -q 19999 && exit 0; sleep 0.1; done; exit 1")
        } catch {
            server.stop()
            throw error
        }
    }

    func stop() { server.stop() }
}
