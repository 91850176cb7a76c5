import CCurl

/// One STARTTLS probe as the loop sees it. Loop thread only.
final class SMTPProbe {
    let box: RequestBox<SMTPRequest>
    let host: String
    let address: String
    let port: Int
    let ehloName: String
    var easy: UnsafeMutableRawPointer?
    var errorBuffer: UnsafeMutablePointer<CChar>?
    var connectTo: UnsafeMutablePointer<curl_slist>?
    var dialogue = SMTPDialogue()
    var startedNs: UInt64 = 0
    /// When the dialogue last moved (a line in or out, a TLS step): the per-step timeout
    /// counts from here.
    var progressNs: UInt64 = 0
    /// Past its address's stall time: no longer holds a per-address slot.
    var stalled = false

    init(box: RequestBox<SMTPRequest>, host: String, address: String, port: Int, ehloName: String) {
        self.box = box
        self.host = host
        self.address = address
        self.port = port
        self.ehloName = ehloName
    }
}
