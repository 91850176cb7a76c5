import Foundation

/// An nginx on 127.0.61.20:443 with a private test CA (made with the `openssl` CLI) and one
/// site per outcome; a plain-HTTP listener on 127.0.61.22:443 for a failing handshake.
final class NginxFixture {
    let directory: String
    private let server: ServerProcess
    static let policy = "version: STSv1\nmode: enforce\nmx: mail.good.test\nmax_age: 86400\n"
    var caFile: String { "\(directory)/ca.pem" }

    /// The address nginx listens on (443, TLS).
    let address: String

    /// `address`/`plainAddress`: where the TLS sites and the plain-HTTP listener go
    /// (tests of other ranges than 127.0.61.x pass their own).
    init(name: String, address: String = TestAddresses.https, plainAddress: String = TestAddresses.plainHTTP) throws {
        directory = try TestSupport.directory(name)
        self.address = address
        let d = directory
        try TestSupport.shell("""
        set -e
        cd \(d)
        mkdir -p www/.well-known big/.well-known tmp
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
            -days 30 -subj "/CN=stsscan engine test CA" 2>/dev/null
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key
        leaf() { # name serial days SAN
            printf "subjectAltName=%s\\nbasicConstraints=CA:FALSE\\n" "$4" > $1.ext
            openssl req -new -key leaf.key -subj "/CN=$1" -out $1.csr
            openssl x509 -req -in $1.csr -CA ca.pem -CAkey ca.key -set_serial $2 -days $3 -extfile $1.ext -out $1.crt 2>/dev/null
        }
        leaf good 1 30 "DNS:mta-sts.good.test,DNS:*.site.test"
        leaf expired 2 -1 "DNS:mta-sts.expired.test"
        leaf wrongname 3 30 "DNS:mta-sts.elsewhere.test"
        openssl req -x509 -key leaf.key -subj "/CN=mta-sts.selfsigned.test" \
            -addext "subjectAltName=DNS:mta-sts.selfsigned.test" -days 30 -out selfsigned.crt 2>/dev/null
        printf '%s' '\(NginxFixture.policy)' > www/.well-known/mta-sts.txt
        head -c 102400 /dev/zero | tr '\\0' 'a' > big/.well-known/mta-sts.txt
        chmod -R a+rX .
        """)
        let configuration = """
        worker_processes 1;
        daemon off;
        user root;
        pid \(d)/nginx.pid;
        error_log \(d)/nginx-error.log warn;
        load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path \(d)/tmp/body;
            proxy_temp_path \(d)/tmp/proxy;
            fastcgi_temp_path \(d)/tmp/fastcgi;
            uwsgi_temp_path \(d)/tmp/uwsgi;
            scgi_temp_path \(d)/tmp/scgi;
            types { }
            default_type text/plain;
            ssl_certificate_key \(d)/leaf.key;
            ssl_certificate \(d)/good.crt;
            server {
                listen \(address):443 ssl default_server;
                server_name mta-sts.good.test good.site.test;
                root \(d)/www;
            }
            server { listen \(address):443 ssl; server_name notfound.site.test; return 404; }
            server {
                listen \(address):443 ssl; server_name redirect.site.test;
                return 301 https://good.site.test/.well-known/mta-sts.txt;
            }
            server { listen \(address):443 ssl; server_name big.site.test; root \(d)/big; }
            server {
                listen \(address):443 ssl; server_name chunked.site.test;
                location / { echo_duplicate 100000 "y"; }
            }
            server {
                listen \(address):443 ssl; server_name slow.site.test;
                location / { echo_sleep 30; echo "late"; }
            }
            server {
                listen \(address):443 ssl; server_name pause.site.test;
                location / { echo_sleep 0.3; echo "paused"; }
            }
            server {
                listen \(address):443 ssl; server_name html.site.test;
                location / { default_type text/html; return 200 "<html></html>"; }
            }
            server { listen \(address):443 ssl; server_name mta-sts.expired.test; ssl_certificate \(d)/expired.crt; root \(d)/www; }
            server { listen \(address):443 ssl; server_name mta-sts.wrongname.test; ssl_certificate \(d)/wrongname.crt; root \(d)/www; }
            server { listen \(address):443 ssl; server_name mta-sts.selfsigned.test; ssl_certificate \(d)/selfsigned.crt; root \(d)/www; }
            server { listen \(plainAddress):443; return 200 "not TLS"; }
        }
        """
        try configuration.write(toFile: "\(d)/nginx.conf", atomically: true, encoding: .utf8)
        server = try ServerProcess(name: "nginx", executable: "/usr/sbin/nginx",
                                   arguments: ["-c", "\(d)/nginx.conf", "-e", "\(d)/nginx-error.log"],
                                   log: "\(d)/nginx.out")
        do {
            try TestSupport.waitForTCP(address, 443)
        } catch {
            server.stop()
            throw error
        }
    }

    func stop() { server.stop() }
}
