/// One `resolve` call as the loop sees it: the name currently asked (it moves along a
/// CNAME chain that needed new queries) and what was followed so far.
final class DNSJob {
    let box: RequestBox
    let type: DNSType
    var name: String
    var chain: [String] = []
    /// Names already asked for; filled only once a chase starts (most lookups never chase).
    var visited: Set<String> = []
    var chases = 0

    init(box: RequestBox, name: String, type: DNSType) {
        self.box = box
        self.type = type
        self.name = name
    }
}
