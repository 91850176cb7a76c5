import CCurl

/// One policy fetch as the loop sees it. Loop thread only.
final class Transfer {
    let box: RequestBox<FetchRequest>
    let host: String
    let address: String
    let port: Int
    var easy: EasyHandle?
    var connectTo: UnsafeMutablePointer<curl_slist>?
    var body: [UInt8] = []
    var contentType: String?
    var location: String?
    var bodyTooLarge = false
    /// The server's leaf certificate, when the handshake got as far as its verdict.
    var certificate: CertificateFacts?
    var startedNs: UInt64 = 0
    /// Ran past its address's stall time: no longer counts against the per-IP and global
    /// limits (`AddressSlots`).
    var stalled = false
    let maxBody: Int

    init(box: RequestBox<FetchRequest>, host: String, address: String, port: Int, maxBody: Int) {
        self.box = box
        self.host = host
        self.address = address
        self.port = port
        self.maxBody = maxBody
    }
}
