/// RFC 3492 Punycode encoding of one label, enough to turn the world's U-label names into
/// the `xn--` A-labels that DNS, `domains.csv` and policies carry. Kept here (not in
/// STSCore's libidn2 wrapper) so the generator's names are independent of the code the
/// scanner uses to check them.
enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
    private static let initialBias = 72, initialN = 128

    /// The A-label (`xn--...`) of a lower-case U-label; ASCII labels are returned unchanged.
    static func aLabel(_ label: String) -> String {
        let scalars = label.unicodeScalars.map { Int($0.value) }
        if scalars.allSatisfy({ $0 < 0x80 }) { return label }
        return "xn--" + encode(scalars)
    }

    private static func digit(_ d: Int) -> Character {
        Character(UnicodeScalar(UInt8(d < 26 ? 97 + d : 22 + d)))
    }

    private static func adapt(_ delta: Int, _ numPoints: Int, _ first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / numPoints
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    private static func encode(_ input: [Int]) -> String {
        var output = String(input.filter { $0 < 0x80 }.map { Character(UnicodeScalar(UInt8($0))) })
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = initialN, delta = 0, bias = initialBias
        while handled < input.count {
            let m = input.filter { $0 >= n }.min()!
            delta += (m - n) * (handled + 1)
            n = m
            for c in input {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return output
    }
}
