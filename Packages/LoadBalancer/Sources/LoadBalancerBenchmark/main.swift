import LoadBalancer

// Balance, disruption and selection cost of every strategy. Run in release mode:
//   swift run -c release --package-path Packages/LoadBalancer LoadBalancerBenchmark

let keyCount = 100_000
let endpointCounts = [10, 100, 500]
let keys: [[UInt8]] = (0..<keyCount).map { Array("key:\($0)".utf8) }

func endpoints(_ count: Int) -> [WeightedEndpoint<Int>] {
    (0..<count).map { WeightedEndpoint($0, name: "10.0.\($0 / 256).\($0 % 256):6379") }
}

/// Coefficient of variation (stddev / mean) and the largest deviation from the mean, both in percent.
func spread(_ hits: [Int]) -> (cv: Double, maxDeviation: Double) {
    let mean = Double(hits.reduce(0, +)) / Double(hits.count)
    let variance = hits.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(hits.count)
    let maxDeviation = hits.map { abs(Double($0) - mean) }.max()!
    return (variance.squareRoot() / mean * 100, maxDeviation / mean * 100)
}

func percent(_ value: Double) -> String {
    let hundredths = Int(value * 100 + 0.5)
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)%"
}

func hitCounts(_ count: Int, _ pick: (Int) -> Int?) -> [Int] {
    var hits = Array(repeating: 0, count: count)
    for request in 0..<keyCount { hits[pick(request)!] += 1 }
    return hits
}

func ketamaShares(_ ring: KetamaRing<Int>) -> [Int] {
    // The hash space each endpoint owns, in units of 2^-32 of the ring.
    var shares = Array(repeating: 0, count: ring.endpoints.count)
    let values = ring.continuum.values
    let owners = ring.continuum.owners
    for position in values.indices {
        let previous = position == 0 ? Int(values[values.count - 1]) - (1 << 32) : Int(values[position - 1])
        shares[owners[position]] += Int(values[position]) - previous
    }
    return shares
}

func slotShares(_ slots: [Int32], count: Int) -> [Int] {
    var shares = Array(repeating: 0, count: count)
    for slot in slots { shares[Int(slot)] += 1 }
    return shares
}

// MARK: - Balance

print("## Balance: hits per endpoint over \(keyCount) keys or requests")
print("")
print("stddev/mean (max deviation from the mean). Key-hashing strategies are also shown by the share of the hash")
print("space they own, which is free of sampling noise; sampling noise alone is about sqrt(N / keys).")
print("")
print("| strategy | N=10 | N=100 | N=500 |")
print("| --- | --- | --- | --- |")
var rows: [String: [String]] = [:]
let order = [
    "smooth weighted round robin", "weighted random (seeded)", "P2C least outstanding (4N in flight)",
    "ketama fnv1a_64 (keys)", "ketama murmur (keys)", "ketama md5 (keys)", "ketama (ring share)", "maglev 65537 (keys)",
    "maglev 65537 (table share)",
    "modula fnv1a_64 (keys)", "cluster hash slots (keys)", "sampling noise floor",
]
func cell(_ hits: [Int]) -> String {
    let measured = spread(hits)
    return "\(percent(measured.cv)) (\(percent(measured.maxDeviation)))"
}
for count in endpointCounts {
    let set = endpoints(count)
    var roundRobin = SmoothWeightedRoundRobin(set)
    rows["smooth weighted round robin", default: []].append(cell(hitCounts(count) { _ in roundRobin.next() }))

    let random = WeightedRandom(set)
    var generator = SplitMix64(seed: 1)
    rows["weighted random (seeded)", default: []].append(cell(hitCounts(count) { _ in random.pick(using: &generator) }))

    var leastOutstanding = PowerOfTwoChoices(set)
    var inFlight: [Int] = []
    var oldest = 0
    rows["P2C least outstanding (4N in flight)", default: []].append(
        cell(
            hitCounts(count) { _ in
                let index = leastOutstanding.pick(using: &generator)!
                leastOutstanding.requestStarted(at: index)
                inFlight.append(index)
                if inFlight.count - oldest > 4 * count {
                    leastOutstanding.requestFinished(at: inFlight[oldest])
                    oldest += 1
                }
                return index
            }
        )
    )

    let ketama = KetamaRing(set)
    rows["ketama fnv1a_64 (keys)", default: []].append(cell(hitCounts(count) { ketama.index(forKey: keys[$0]) }))
    let ketamaMurmur = KetamaRing(set, hash: .murmur)
    rows["ketama murmur (keys)", default: []].append(cell(hitCounts(count) { ketamaMurmur.index(forKey: keys[$0]) }))
    let ketamaMD5 = KetamaRing(set, hash: .md5)
    rows["ketama md5 (keys)", default: []].append(cell(hitCounts(count) { ketamaMD5.index(forKey: keys[$0]) }))
    rows["ketama (ring share)", default: []].append(cell(ketamaShares(ketama)))

    let maglev = MaglevTable(set)
    rows["maglev 65537 (keys)", default: []].append(cell(hitCounts(count) { maglev.index(forKey: keys[$0]) }))
    rows["maglev 65537 (table share)", default: []].append(cell(slotShares(maglev.slots, count: count)))

    let modula = ModulaHashing(set)
    rows["modula fnv1a_64 (keys)", default: []].append(cell(hitCounts(count) { modula.index(forKey: keys[$0]) }))

    let slots = HashSlotMap.evenlySplit(set)
    rows["cluster hash slots (keys)", default: []].append(cell(hitCounts(count) { slots.index(forKey: keys[$0]) }))

    rows["sampling noise floor", default: []].append(percent((Double(count - 1) / Double(keyCount)).squareRoot() * 100))
}
for name in order { print("| \(name) | " + rows[name]!.joined(separator: " | ") + " |") }

// MARK: - Disruption

print("")
print("## Disruption: keys moved when 1 of N endpoints leaves (optimum 1/N)")
print("")
print("| strategy | N | moved | optimum 1/N | moved from surviving endpoints |")
print("| --- | --- | --- | --- | --- |")
for count in endpointCounts {
    let leaving = count / 2
    func report(_ name: String, before: (Int) -> Int?, after: (Int) -> Int?) {
        var moved = 0
        var movedFromSurvivors = 0
        for key in 0..<keyCount {
            let old = before(key)!
            if old != after(key)! {
                moved += 1
                if old != leaving { movedFromSurvivors += 1 }
            }
        }
        let optimum = 100.0 / Double(count)
        print(
            "| \(name) | \(count) | \(percent(Double(moved) * 100 / Double(keyCount))) | \(percent(optimum)) | "
                + "\(percent(Double(movedFromSurvivors) * 100 / Double(keyCount))) |"
        )
    }
    let ketama = KetamaRing(endpoints(count))
    var ketamaAfter = ketama
    ketamaAfter.setEjected(true, at: leaving)
    report("ketama", before: { ketama.index(forKey: keys[$0]) }, after: { ketamaAfter.index(forKey: keys[$0]) })

    let maglev = MaglevTable(endpoints(count))
    var maglevAfter = maglev
    maglevAfter.setEjected(true, at: leaving)
    report("maglev 65537", before: { maglev.index(forKey: keys[$0]) }, after: { maglevAfter.index(forKey: keys[$0]) })

    let bigMaglev = MaglevTable(endpoints(count), tableSize: 655_373)
    var bigMaglevAfter = bigMaglev
    bigMaglevAfter.setEjected(true, at: leaving)
    report(
        "maglev 655373",
        before: { bigMaglev.index(forKey: keys[$0]) },
        after: { bigMaglevAfter.index(forKey: keys[$0]) }
    )
}

// MARK: - Selection cost

print("")
print("## Selection cost at 100 endpoints (release build, ns per pick)")
print("")
print("| strategy | ns per pick |")
print("| --- | --- |")
let picks = 2_000_000
let clock = ContinuousClock()
nonisolated(unsafe) var sink = 0

func measure(_ name: String, _ body: (Int) -> Int?) {
    var checksum = 0
    for warmup in 0..<10_000 { checksum &+= body(warmup) ?? 0 }
    let start = clock.now
    for pick in 0..<picks { checksum &+= body(pick) ?? 0 }
    let elapsed = clock.now - start
    sink &+= checksum
    let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    let tenths = Int(nanoseconds / Double(picks) * 10 + 0.5)
    print("| \(name) | \(tenths / 10).\(tenths % 10) |")
}

// Local state only, so that the measured closures need no dynamic exclusivity checks on globals.
func selectionCosts(keys: [[UInt8]]) {
    let hundred = endpoints(100)
    let weightedHundred = (0..<100).map { WeightedEndpoint($0, weight: 1 + $0 % 5) }
    var evenRoundRobin = SmoothWeightedRoundRobin(hundred)
    measure("smooth weighted round robin (equal weights)") { _ in evenRoundRobin.next() }
    var weightedRoundRobin = SmoothWeightedRoundRobin(weightedHundred)
    measure("smooth weighted round robin (weights 1-5)") { _ in weightedRoundRobin.next() }
    var generator = SplitMix64(seed: 9)
    let weightedRandom = WeightedRandom(weightedHundred)
    measure("weighted random (weights 1-5)") { _ in weightedRandom.pick(using: &generator) }
    var leastOutstanding = PowerOfTwoChoices(hundred)
    measure("P2C pick + start + finish") { _ in
        let index = leastOutstanding.pick(using: &generator)!
        leastOutstanding.requestStarted(at: index)
        leastOutstanding.requestFinished(at: index)
        return index
    }
    let count = keys.count
    let ketama = KetamaRing(hundred)
    measure("ketama fnv1a_64 (twemproxy default)") { ketama.index(forKey: keys[$0 % count]) }
    let ketamaMurmur = KetamaRing(hundred, hash: .murmur)
    measure("ketama murmur") { ketamaMurmur.index(forKey: keys[$0 % count]) }
    let ketamaMD5 = KetamaRing(hundred, hash: .md5)
    measure("ketama md5") { ketamaMD5.index(forKey: keys[$0 % count]) }
    let maglev = MaglevTable(hundred)
    measure("maglev (65537)") { maglev.index(forKey: keys[$0 % count]) }
    let modula = ModulaHashing(hundred)
    measure("modula fnv1a_64") { modula.index(forKey: keys[$0 % count]) }
    let slotMap = HashSlotMap.evenlySplit(hundred)
    measure("cluster hash slots") { slotMap.index(forKey: keys[$0 % count]) }
}
selectionCosts(keys: keys)
print("")
print("(checksum \(sink & 0xFF))")
