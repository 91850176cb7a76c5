/// `postfix/main.cf` and `postfix/master.cf` of a world: a private Postfix instance
/// (Debian's 3.7) that answers SMTP on the world's mail addresses, offers STARTTLS with
/// the certificate of the MX name the client asks for (SNI), accepts no mail and delivers
/// none. Addresses: `WorldAddresses`.
enum PostfixConfig {
    /// Seconds the tarpit smtpd sleeps before its greeting: beyond any sane SMTP timeout.
    static let tarpitSeconds = 300

    /// The instance's directories inside the world directory.
    static func configDirectory(_ dir: String) -> String { "\(dir)/postfix" }
    static func queueDirectory(_ dir: String) -> String { "\(dir)/run/postfix-queue" }
    static func dataDirectory(_ dir: String) -> String { "\(dir)/run/postfix-data" }
    static func logFile(_ dir: String) -> String { "\(dir)/run/postfix.log" }

    /// The service line of the IPv6-only MX hosts' smtpd (`[::1]:smtp`), when a world has one.
    static let ipv6Service = "[::1]:smtp"

    /// `ipv6`: the world serves IPv6-only MX hosts on `[::1]:25` (`inet_protocols = all`).
    static func mainCF(dir: String, ipv6: Bool = false) -> String {
        """
        # Postfix for the stsscan simulated internet (generated; do not edit). A private
        # instance: `postfix -c \(configDirectory(dir)) start|stop`. It never touches
        # /etc/postfix or /var/spool/postfix, accepts no mail and delivers none.
        compatibility_level = 3.6
        queue_directory = \(queueDirectory(dir))
        data_directory = \(dataDirectory(dir))
        mail_owner = postfix
        myhostname = mx.world.invalid
        mydomain = world.invalid
        inet_protocols = \(ipv6 ? "all" : "ipv4")
        # Postfix accepts only addresses configured on an interface here (127.0.0.1), not
        # the rest of 127.0.0.0/8: every smtpd in master.cf names its own 127.B.55.x
        # address instead, and no service listens on inet_interfaces itself.
        inet_interfaces = loopback-only

        # No mail in, no mail out.
        mydestination =
        relay_domains =
        mynetworks =
        local_recipient_maps =
        smtpd_relay_restrictions = reject
        smtpd_recipient_restrictions = reject
        default_transport = error:the stsscan world delivers no mail
        relay_transport = error:the stsscan world delivers no mail
        local_transport = error:the stsscan world delivers no mail
        smtp_dns_support_level = disabled
        # No reverse lookups of the scanner's address through the system resolver.
        smtpd_peername_lookup = no

        # A scanner connects often and from one address.
        smtpd_client_connection_count_limit = 0
        smtpd_client_connection_rate_limit = 0
        smtpd_banner = $myhostname ESMTP stsscan world
        # Reuse smtpd processes across many probes (process start and TLS set-up cost CPU).
        max_use = 1000
        max_idle = 600

        # STARTTLS: the providers' certificate by default (each self-hosted address has its
        # own in master.cf); names with a certificate of their own by SNI (`postfix/sni`,
        # compiled with postmap -F by `stsscan world start`).
        smtpd_tls_security_level = may
        smtpd_tls_chain_files = \(dir)/\(MailCertificates.defaultChain)
        tls_server_sni_maps = hash:\(dir)/\(MailCertificates.sniSource)
        smtpd_tls_loglevel = 0

        maillog_file = \(logFile(dir))
        maillog_file_prefixes = \(dir)/run

        """
    }

    static func masterCF(dir: String, addresses a: WorldAddresses, ipv6: Bool = false) -> String {
        func smtpd(_ ip: String, _ options: String = "") -> String {
            "\(ip):smtp inet n - n - - smtpd\(options.isEmpty ? "" : " " + options)\n"
        }
        var text = """
        # Postfix services of the stsscan simulated internet (generated; do not edit).
        # service type private unpriv chroot wakeup maxproc command
        # Ordinary MX hosts: providers A, B, T and the self-hosted addresses.

        """
        for ip in [a.mailIP, a.providerBMailIP, a.tenantMailIP] { text += smtpd(ip) }
        for n in 0..<WorldAddresses.selfHostedMailAddresses {
            text += smtpd(a.selfHostedMailIP(n), "-o smtpd_tls_chain_files=\(dir)/\(MailCertificates.selfHostedChain(n))")
        }
        if ipv6 {
            // IPv6-only MX hosts (`mx-ipv6-only`): certificates by SNI, as for names on other addresses.
            text += "\(ipv6Service) inet n - n - - smtpd\n"
        }
        text += "# Scenario servers.\n"
        text += smtpd(a.noStartTLSMailIP, "-o smtpd_tls_security_level=none")
        // OpenSSL 3.0 clients (Debian's default security level) refuse TLS 1.0: the handshake fails.
        text += smtpd(a.handshakeFailMailIP, "-o smtpd_tls_protocols=<=TLSv1 -o smtpd_tls_mandatory_protocols=<=TLSv1")
        // Client restrictions evaluated at connect time, before the banner.
        text += smtpd(a.tarpitMailIP, "-o smtpd_client_restrictions=sleep,\(tarpitSeconds) -o smtpd_delay_reject=no")
        text += smtpd(a.rejectingMailIP, "-o smtpd_client_restrictions=reject -o smtpd_delay_reject=no")
        text += """
        # Internal services (no smtp/lmtp/local delivery agents: nothing leaves).
        pickup    unix  n       -       n       60      1       pickup
        cleanup   unix  n       -       n       -       0       cleanup
        qmgr      unix  n       -       n       300     1       qmgr
        tlsmgr    unix  -       -       n       1000?   1       tlsmgr
        rewrite   unix  -       -       n       -       -       trivial-rewrite
        bounce    unix  -       -       n       -       0       bounce
        defer     unix  -       -       n       -       0       bounce
        trace     unix  -       -       n       -       0       bounce
        verify    unix  -       -       n       -       1       verify
        flush     unix  n       -       n       1000?   0       flush
        proxymap  unix  -       -       n       -       -       proxymap
        showq     unix  n       -       n       -       -       showq
        error     unix  -       -       n       -       -       error
        retry     unix  -       -       n       -       -       error
        discard   unix  -       -       n       -       -       discard
        anvil     unix  -       -       n       -       1       anvil
        scache    unix  -       -       n       -       1       scache
        postlog   unix-dgram n  -       n       -       1       postlogd

        """
        return text
    }
}
