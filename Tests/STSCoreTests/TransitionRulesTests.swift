import Foundation
import Testing
@testable import STSCore

/// The transition rules of `stsscan diff` (docs/transitions.md), including the operator
/// mistake RFC 8461 section 3.1 implies (rfc8461-8460-rules.md §1: senders refetch a policy
/// only when the record's id changes).
@Suite struct TransitionRulesTests {
    let working = TransitionSnapshot(stsRecord: .valid, stsID: "20260101T000000", policyStatus: .valid,
                                     mode: .testing, maxAge: 604_800, mx: ["*.mailhost-a.com"], delivery: .ok)
    let absent = TransitionSnapshot(stsRecord: .absent)

    private func kinds(_ a: TransitionSnapshot, _ b: TransitionSnapshot) -> [TransitionKind] {
        TransitionRules.classify(a, b).map(\.kind)
    }

    @Test func adoptionAndRemoval() {
        #expect(TransitionRules.classify(absent, working) == [Transition(.adopted, "absent", "working")])
        #expect(TransitionRules.classify(working, absent) == [Transition(.dropped, "working", "absent")])
        let broken = TransitionSnapshot(stsRecord: .invalid, errorCode: .txtMissingID)
        #expect(TransitionRules.classify(absent, broken) == [Transition(.adopted, "absent", "txt-missing-id")])
        #expect(TransitionRules.classify(broken, absent) == [Transition(.dropped, "txt-missing-id", "absent")])
        #expect(kinds(absent, absent).isEmpty)
    }

    @Test func breakingAndFixing() {
        var expired = working
        expired.policyStatus = .fetchError
        expired.mode = nil
        expired.maxAge = nil
        expired.mx = []
        expired.errorCode = .certExpired
        expired.delivery = nil
        #expect(TransitionRules.classify(working, expired) == [Transition(.policyBroken, "working", "cert-expired")])
        #expect(TransitionRules.classify(expired, working) == [Transition(.policyFixed, "cert-expired", "working")])
        var other = expired
        other.errorCode = .httpNotFound
        #expect(kinds(expired, other).isEmpty, "one failure for another is no transition")
    }

    @Test func inconclusiveMeasurementsMakeNoDeploymentTransition() {
        var timeout = working
        timeout.policyStatus = .fetchError
        timeout.errorCode = .fetchTimeout
        timeout.delivery = nil
        #expect(kinds(working, timeout).isEmpty)
        #expect(kinds(timeout, working).isEmpty)
        let txtServfail = TransitionSnapshot(stsRecord: .error, errorCode: .txtDNSServfail)
        #expect(kinds(txtServfail, working).isEmpty)
        #expect(kinds(working, TransitionSnapshot(mxStatus: .timeout, stsRecord: .absent)).isEmpty)
        #expect(TransitionRules.state(txtServfail) == .inconclusive)
    }

    @Test func modeChangeWithNewIDIsOnlyAModeChange() {
        var enforce = working
        enforce.mode = .enforce
        enforce.stsID = "20260201T000000"
        #expect(TransitionRules.classify(working, enforce) == [Transition(.modeChanged, "testing", "enforce")])
    }

    @Test func policyChangedWhileIDUnchangedIsReported() {
        var longer = working
        longer.maxAge = 1_209_600
        #expect(TransitionRules.classify(working, longer) == [
            Transition(.maxAgeChanged, "604800", "1209600"),
            Transition(.policyChangedIDUnchanged, "mode=testing max_age=604800 mx=*.mailhost-a.com",
                       "mode=testing max_age=1209600 mx=*.mailhost-a.com"),
        ])
        var moreMX = working
        moreMX.mx = ["*.mailhost-a.com", "backup.example.com"]
        #expect(kinds(working, moreMX) == [.mxChanged, .policyChangedIDUnchanged])
        moreMX.stsID = "20260301T000000"
        #expect(TransitionRules.classify(working, moreMX) == [
            Transition(.mxChanged, "*.mailhost-a.com", "*.mailhost-a.com,backup.example.com"),
        ])
    }

    @Test func idChangedWhilePolicyUnchangedIsReported() {
        var renumbered = working
        renumbered.stsID = "20260401T000000"
        // Case, order and repetition of the mx patterns do not change the policy.
        renumbered.mx = ["*.MAILHOST-A.com", "*.mailhost-a.com"]
        #expect(TransitionRules.classify(working, renumbered) == [
            Transition(.idChangedPolicyUnchanged, "20260101T000000", "20260401T000000"),
        ])
        var same = working
        same.mx = ["*.Mailhost-A.COM"]
        #expect(kinds(working, same).isEmpty, "a reformatted policy with the same id is no transition")
    }

    @Test func deliveryVerdictsAreComparedWhenBothExist() {
        var fails = working
        fails.delivery = .fails
        #expect(TransitionRules.classify(working, fails) == [Transition(.deliveryChanged, "ok", "fails")])
        var unprobed = working
        unprobed.delivery = nil
        #expect(kinds(working, unprobed).isEmpty)
        // Alongside a deployment transition when both scans judged delivery.
        var broken = fails
        broken.policyStatus = .fetchError
        broken.errorCode = .connectRefused
        #expect(kinds(working, broken) == [.policyBroken, .deliveryChanged])
    }

    @Test func mxTextIsCaseInsensitiveSortedAndDeduplicated() {
        #expect(TransitionRules.mxText(["b.example", "A.example", "a.example"]) == "a.example,b.example")
        #expect(TransitionRules.policyText(mode: PolicyMode.none, maxAge: 86_400, mx: []) == "mode=none max_age=86400 mx=")
    }

    @Test func kindsAreStableKebabCase() {
        for kind in TransitionKind.allCases {
            #expect(kind.rawValue.allSatisfy { $0.isLowercase || $0 == "-" }, "\(kind.rawValue)")
            #expect(!kind.summary.isEmpty)
        }
    }

    /// docs/transitions.md lists every kind with its summary, and no other.
    @Test func docsListEveryKind() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/transitions.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var documented: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
            guard cells.count == 2 else { continue }
            documented[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[1]
        }
        for kind in TransitionKind.allCases {
            #expect(documented[kind.rawValue] == kind.summary, "docs/transitions.md row of \(kind.rawValue)")
        }
        let states: Set = ["absent", "working"]
        #expect(Set(documented.keys).subtracting(states) == Set(TransitionKind.allCases.map(\.rawValue)))
    }
}
