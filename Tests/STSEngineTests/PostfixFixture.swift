import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private Postfix instance (Debian's, its own config and queue directories under /tmp)
/// for the STARTTLS probe tests: 127.0.64.1:25 offers STARTTLS with a certificate per SNI
/// name (`tls_server_sni_maps`), 127.0.64.2:25 offers no STARTTLS. Certificates come from a
/// private CA made with the `openssl` CLI. Stopped with `postfix -c DIR stop`.
final class PostfixFixture {
    static let starttls = "127.0.64.1"
    static let plain = "127.0.64.2"
    let directory: String
    var caFile: String { "\(directory)/ca.pem" }

    static var installed: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix") }

    init(name: String) throws {
        PostfixFixture.stopLeftover("/tmp/stsscan-engine-tests/\(name)") // a crashed earlier run's instance
        directory = try TestSupport.directory(name)
        let d = directory
        try TestSupport.shell("""
        set -e
        cd \(d)
        mkdir -p conf queue data
        chown postfix data
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
            -days 30 -subj "/CN=stsscan SMTP test CA" 2>/dev/null
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key 2>/dev/null
        leaf() { # name serial days SAN
            printf "subjectAltName=%s\\nbasicConstraints=CA:FALSE\\n" "$4" > $1.ext
            openssl req -new -key leaf.key -subj "/CN=$1" -out $1.csr
            openssl x509 -req -in $1.csr -CA ca.pem -CAkey ca.key -set_serial $2 -days $3 -extfile $1.ext -out $1.crt 2>/dev/null
        }
        leaf good 1 30 "DNS:good.mx.test,DNS:*.wild.mx.test"
        leaf expired 2 -1 "DNS:expired.mx.test"
        leaf wrongname 3 30 "DNS:elsewhere.mx.test"
        openssl req -x509 -key leaf.key -subj "/CN=selfsigned.mx.test" \
            -addext "subjectAltName=DNS:selfsigned.mx.test" -days 30 -out selfsigned.crt 2>/dev/null
        for n in good expired wrongname selfsigned; do cat leaf.key $n.crt > $n.pem; done
        printf 'expired.mx.test %s/expired.pem\\nwrongname.mx.test %s/wrongname.pem\\nselfsigned.mx.test %s/selfsigned.pem\\n' \
            \(d) \(d) \(d) > conf/sni
        cp /usr/share/postfix/master.cf.dist conf/master.cf
        sed -i 's/^smtp      inet.*$/\(PostfixFixture.starttls):smtp inet n - y - - smtpd\\n\(PostfixFixture.plain):smtp inet n - y - - smtpd -o smtpd_tls_security_level=none/' conf/master.cf
        cat > conf/main.cf <<CONF
        compatibility_level = 3.6
        queue_directory = \(d)/queue
        data_directory = \(d)/data
        mail_owner = postfix
        inet_interfaces = loopback-only
        inet_protocols = ipv4
        myhostname = mx.test
        mydestination =
        relay_domains =
        mynetworks =
        smtpd_relay_restrictions = reject
        default_transport = error
        smtpd_tls_security_level = may
        smtpd_tls_chain_files = \(d)/good.pem
        tls_server_sni_maps = hash:\(d)/conf/sni
        maillog_file = \(d)/maillog
        maillog_file_prefixes = \(d)
        CONF
        postmap -F -c conf hash:conf/sni
        chmod -R a+rX .
        postfix -c \(d)/conf check
        postfix -c \(d)/conf start
        """)
        do {
            try TestSupport.waitForTCP(PostfixFixture.starttls, 25)
            try TestSupport.waitForTCP(PostfixFixture.plain, 25)
        } catch {
            stop()
            throw error
        }
    }

    func stop() { PostfixFixture.stopLeftover(directory) }

    /// Stops the instance configured in `directory`, if it runs (its master's pid file).
    private static func stopLeftover(_ directory: String) {
        guard FileManager.default.fileExists(atPath: "\(directory)/conf/main.cf") else { return }
        try? TestSupport.shell("postfix -c \(directory)/conf stop >/dev/null 2>&1 || true")
    }
}
