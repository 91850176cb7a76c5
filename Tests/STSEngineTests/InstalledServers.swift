import Foundation
import Testing

/// Whether the real servers some engine tests start are installed. A test that needs a
/// missing one is skipped, not failed, and the skip says what to install (the way
/// `WorldIntegrationTests` does); scripts/deps.sh installs NSD and nginx for CI.
enum InstalledServers {
    static let nsd = FileManager.default.isExecutableFile(atPath: "/usr/sbin/nsd")
    static let nginx = FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx")
        && FileManager.default.isReadableFile(atPath: "/usr/lib/nginx/modules/ngx_http_echo_module.so")
    static let postfix = PostfixFixture.installed

    static let needNSD: Comment = "needs NSD: apt-get install nsd (or run scripts/deps.sh)"
    static let needNginx: Comment =
        "needs nginx with the echo module: apt-get install nginx-light libnginx-mod-http-echo (or run scripts/deps.sh)"
    static let needPostfix: Comment = "needs Postfix: apt-get install postfix"
}
