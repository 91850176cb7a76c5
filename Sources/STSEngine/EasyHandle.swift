import CCurl

/// A curl easy handle with the options that never change already set, and its error
/// buffer. Pooled: setting up a handle is work curl would otherwise repeat per fetch.
final class EasyHandle {
    let handle: UnsafeMutableRawPointer
    let errorBuffer: UnsafeMutablePointer<CChar>

    init?(configuration: EngineConfiguration, share: UnsafeMutableRawPointer) {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        stscurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        stscurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        stscurl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        stscurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "https")
        stscurl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "https")
        stscurl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        stscurl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        if configuration.policyCertificates {
            // OpenSSL finishes the handshake whatever its verdict on the chain, so that curl
            // gathers the certificate (CERTINFO) before failing the transfer with
            // CURLE_PEER_FAILED_VERIFICATION and the verdict in CURLINFO_SSL_VERIFYRESULT: the
            // same codes and verdicts as a handshake stopped by OpenSSL, and the certificate's
            // facts for `check`.
            stscurl_easy_keep_handshake_on_verify_errors(handle)
            stscurl_easy_setopt_long(handle, CURLOPT_CERTINFO, 1)
        }
        if let caFile = configuration.caFile {
            stscurl_easy_setopt_string(handle, CURLOPT_CAINFO, caFile)
        }
        // Debian builds curl with a default CA path, and a CA path disables curl's cache of
        // the parsed CA store (CURLOPT_CA_CACHE_TIMEOUT): use the bundle file only.
        stscurl_easy_setopt_string(handle, CURLOPT_CAPATH, nil)
        stscurl_easy_setopt_long(handle, CURLOPT_CA_CACHE_TIMEOUT, 86400)
        stscurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, configuration.fetchTimeoutMs)
        stscurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeoutMs)
        stscurl_easy_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent)
        stscurl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        // Connections go to a different host nearly every time: close them when done, and
        // keep no DNS cache entries for the literal addresses CONNECT_TO hands curl.
        stscurl_easy_setopt_long(handle, CURLOPT_FORBID_REUSE, 1)
        stscurl_easy_setopt_long(handle, CURLOPT_DNS_CACHE_TIMEOUT, 0)
        stscurl_easy_setopt_share(handle, share)
        stscurl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
            let length = size * count
            if transfer.body.count + length > transfer.maxBody {
                transfer.bodyTooLarge = true
                return 0 // a short count aborts the transfer with CURLE_WRITE_ERROR
            }
            if let data {
                data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                    transfer.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
                }
            }
            return length
        }
        stscurl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
            let length = size * count
            if let data {
                data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                    HeaderLine.apply(UnsafeBufferPointer(start: bytes, count: length), to: transfer)
                }
            }
            return length
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }
}
