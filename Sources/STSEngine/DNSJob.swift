/// One lookup as the loop sees it: the name currently asked (it moves along a CNAME chain
/// that needed new queries) and what was followed so far. It belongs to a `DNSBatch` (one
/// caller's `resolve`), at `index` in its answers.
final class DNSJob {
    let batch: DNSBatch
    let index: Int
    let type: DNSType
    var name: String
    var chain: [String] = []
    /// Names already asked for; filled only once a chase starts (most lookups never chase).
    var visited: Set<String> = []
    var chases = 0
    /// Times the lookup was sent again after its connection failed under it (`DNSDriver`).
    var connectionRetries = 0
    /// Times the lookup was asked again after every try timed out (`DNSDriver`).
    var requeries = 0

    init(batch: DNSBatch, index: Int, name: String, type: DNSType) {
        self.batch = batch
        self.index = index
        self.type = type
        self.name = name
    }

    var box: RequestBox<DNSRequest> { batch.box }
}
