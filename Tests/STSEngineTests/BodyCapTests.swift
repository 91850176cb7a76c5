import Testing
import STSCore
@testable import STSEngine

/// rfc8461-8460-rules.md §2 [choice]: one 64 KiB cap on a policy body, `PolicyParser.maxBodyBytes`,
/// behind the fetch (`http-body-too-large`), the stored body (`ResultStore.policyBodyLimit`)
/// and `lint policy`.
@Suite struct BodyCapTests {
    @Test func section2_theFetchStopsAtThePolicyCap() {
        #expect(PolicyParser.maxBodyBytes == 64 * 1024)
        #expect(EngineConfiguration().maxBodyBytes == PolicyParser.maxBodyBytes)
    }
}
