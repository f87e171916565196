import Foundation
import NIOCore
import Testing

@testable import PoolBench

@Suite struct DurationParserTests {
    @Test(arguments: [
        ("30s", Duration.seconds(30)), ("500ms", .milliseconds(500)), ("2m", .seconds(120)), ("1h", .seconds(3600)),
        ("250us", .microseconds(250)), ("1.5s", .milliseconds(1500)), ("7", .seconds(7)), (" 10s ", .seconds(10)),
    ])
    func parses(text: String, expected: Duration) throws {
        #expect(try DurationParser.parse(text) == expected)
    }

    @Test(arguments: ["", "s", "ten seconds", "-1s", "5x", "1.2.3s"])
    func rejects(text: String) {
        #expect(throws: DurationParser.InvalidDuration.self) { try DurationParser.parse(text) }
    }
}

@Suite struct KeyGeneratorTests {
    private func draw(
        _ pattern: KeyPattern,
        range: ClosedRange<Int64> = 0...999,
        count: Int = 50_000,
        seed: UInt64 = 42
    )
        -> [Int64]
    {
        var generator = KeyGenerator(pattern: pattern, range: range, seed: seed)
        return (0..<count).map { _ in generator.next() }
    }

    @Test func sameSeedSameKeys() {
        #expect(self.draw(.uniform, count: 100) == self.draw(.uniform, count: 100))
        #expect(self.draw(.uniform, count: 100) != self.draw(.uniform, count: 100, seed: 43))
        #expect(self.draw(.zipf(exponent: 1), count: 100) == self.draw(.zipf(exponent: 1), count: 100))
    }

    @Test func uniformCoversTheRangeEvenly() {
        let keys = self.draw(.uniform, range: 10...19, count: 100_000)
        #expect(keys.allSatisfy { (10...19).contains($0) })
        var histogram = [Int64: Int]()
        for key in keys { histogram[key, default: 0] += 1 }
        #expect(histogram.count == 10)
        // Each bucket expects 10,000; 5 % is more than 15 standard deviations.
        #expect(histogram.values.allSatisfy { abs($0 - 10_000) < 500 })
    }

    @Test func sequentialWalksAndWraps() {
        var generator = KeyGenerator(pattern: .sequential, range: 5...9, seed: 1, start: 3)
        #expect((0..<7).map { _ in generator.next() } == [8, 9, 5, 6, 7, 8, 9])
    }

    @Test func gaussianCentresOnTheMiddle() {
        let keys = self.draw(.gaussian(median: nil, standardDeviation: nil), range: 0...6_000, count: 100_000)
        let mean = Double(keys.reduce(0, +)) / Double(keys.count)
        let variance = keys.reduce(0.0) { $0 + pow(Double($1) - mean, 2) } / Double(keys.count)
        #expect(abs(mean - 3_000) < 20)
        #expect(abs(variance.squareRoot() - 1_000) < 30)
        // About 68 % within one standard deviation.
        let within = keys.filter { abs($0 - 3_000) <= 1_000 }.count
        #expect(abs(Double(within) / Double(keys.count) - 0.6827) < 0.01)
        #expect(keys.allSatisfy { (0...6_000).contains($0) })
    }

    @Test func gaussianHonoursMedianAndClamps() {
        let keys = self.draw(.gaussian(median: 10, standardDeviation: 50), range: 0...100, count: 10_000)
        #expect(keys.allSatisfy { (0...100).contains($0) })
        #expect(keys.filter { $0 == 0 }.count > 1_000)
    }

    @Test func zipfFavoursTheLowRanks() {
        let keys = self.draw(.zipf(exponent: 1), range: 0...999, count: 100_000)
        #expect(keys.allSatisfy { (0...999).contains($0) })
        var counts = [Int](repeating: 0, count: 1_000)
        for key in keys { counts[Int(key)] += 1 }
        // With exponent 1, P(rank 1) = 1 / H(1000) ≈ 0.1336 and rank 2 half of it.
        #expect(abs(Double(counts[0]) / 100_000 - 0.1336) < 0.006)
        #expect(abs(Double(counts[0]) / Double(counts[1]) - 2) < 0.15)
        #expect(counts[0] > counts[9] * 8)
    }

    @Test func largerZipfExponentConcentratesMore() {
        func topTenShare(_ exponent: Double) -> Double {
            let keys = self.draw(.zipf(exponent: exponent), range: 0...99_999, count: 50_000)
            return Double(keys.filter { $0 < 10 }.count) / Double(keys.count)
        }
        let mild = topTenShare(0.5)
        let classic = topTenShare(0.99)
        let steep = topTenShare(1.5)
        #expect(mild < classic)
        #expect(classic < steep)
        // P(rank <= 10) = H(10, s) / H(100000, s): about 0.77 for s = 1.5 and 0.008 for s = 0.5.
        #expect(abs(steep - 0.77) < 0.02)
        #expect(mild < 0.015)
    }

    @Test func patternsParse() throws {
        #expect(try KeyPattern(parsing: "R") == .uniform)
        #expect(try KeyPattern(parsing: "s") == .sequential)
        #expect(try KeyPattern(parsing: "G") == .gaussian(median: nil, standardDeviation: nil))
        #expect(try KeyPattern(parsing: "Z") == .zipf(exponent: 0.99))
        #expect(try KeyPattern(parsing: "Z:1.2") == .zipf(exponent: 1.2))
        #expect(throws: KeyPattern.InvalidPattern.self) { try KeyPattern(parsing: "Q") }
        #expect(throws: KeyPattern.InvalidPattern.self) { try KeyPattern(parsing: "Z:-1") }
    }
}

@Suite struct RatioSchedulerTests {
    @Test func keepsTheRatioAndSpreadsTheMinority() throws {
        var ratio = try RatioScheduler(parsing: "1:10")
        let operations = (0..<1_100).map { _ in ratio.next() }
        #expect(operations.filter { $0 == .set }.count == 100)
        // Exactly one SET in every window of eleven.
        for window in stride(from: 0, to: 1_100, by: 11) {
            #expect(operations[window..<window + 11].filter { $0 == .set }.count == 1)
        }
    }

    @Test func oneSidedRatios() throws {
        var sets = try RatioScheduler(parsing: "1:0")
        var gets = try RatioScheduler(parsing: "0:3")
        #expect((0..<10).allSatisfy { _ in sets.next() == .set })
        #expect((0..<10).allSatisfy { _ in gets.next() == .get })
    }

    @Test func evenRatioAlternates() throws {
        var ratio = try RatioScheduler(parsing: "2:2")
        #expect((0..<6).map { _ in ratio.next() } == [.set, .get, .set, .get, .set, .get])
    }

    @Test(arguments: ["", "1", "1:2:3", "a:b", "-1:2", "0:0"])
    func rejects(text: String) {
        #expect(throws: RatioScheduler.InvalidRatio.self) { try RatioScheduler(parsing: text) }
    }
}

@Suite struct CommandTemplateTests {
    private func encode(_ template: CommandTemplate, prefix: String = "k:", key: Int64, data: String) -> String {
        let encoder = RequestEncoder(template: template, keyPrefix: prefix)
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        Array(data.utf8).withUnsafeBytes { encoder.write(key: key, data: $0, into: &buffer) }
        return String(buffer: buffer)
    }

    @Test func expandsPlaceholdersInsideArguments() throws {
        let template = try CommandTemplate(parsing: "HSET user:__key__ name __data__")
        #expect(template.name == "HSET")
        #expect(template.usesData)
        #expect(
            self.encode(template, key: 42, data: "xyz")
                == "*4\r\n$4\r\nHSET\r\n$9\r\nuser:k:42\r\n$4\r\nname\r\n$3\r\nxyz\r\n"
        )
    }

    @Test func quotesKeepSpacesAndEmptyArguments() throws {
        let template = try CommandTemplate(parsing: #"SET "a b __key__" '' __data____key__"#)
        #expect(
            self.encode(template, key: -7, data: "v")
                == "*4\r\n$3\r\nSET\r\n$8\r\na b k:-7\r\n$0\r\n\r\n$5\r\nvk:-7\r\n"
        )
    }

    @Test func rejectsEmptyAndUnterminated() {
        #expect(throws: CommandTemplate.InvalidTemplate.self) { try CommandTemplate(parsing: "  ") }
        #expect(throws: CommandTemplate.InvalidTemplate.self) { try CommandTemplate(parsing: "SET \"a") }
    }

    @Test func keyNumbersAndLengthsMatchStrings() throws {
        let template = try CommandTemplate(parsing: "SET __key__ __data__")
        for value: Int64 in [0, 7, 10, 99, 100, 123_456_789, -1, -45, .max, .min] {
            let key = "key:\(value)"
            #expect(value.decimalDigitCount == String(value).count)
            #expect(
                self.encode(template, prefix: "key:", key: value, data: "")
                    == "*3\r\n$3\r\nSET\r\n$\(key.utf8.count)\r\n\(key)\r\n$0\r\n\r\n"
            )
        }
    }

    @Test func encodesLongValuesAndManyPlaceholders() throws {
        let template = try CommandTemplate(parsing: "MSET __key__ __data__ x__key__y __data____data__")
        let data = String(repeating: "v", count: 1_000)
        let encoded = self.encode(template, prefix: "", key: 5, data: data)
        #expect(
            encoded == "*5\r\n$4\r\nMSET\r\n$1\r\n5\r\n$1000\r\n\(data)\r\n$3\r\nx5y\r\n$2000\r\n\(data)\(data)\r\n"
        )
    }

    @Test func generatorFollowsTheRatioAndSizes() throws {
        let workload = Workload(
            keyPrefix: "p",
            keyRange: 0...9,
            keyPattern: .sequential,
            dataSize: DataSize(3...5),
            mix: .ratio(RatioScheduler(sets: 1, gets: 1))
        )
        var generator = workload.makeGenerator(connection: 0, of: 1, seed: 9)
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        let first = generator.writeNext(into: &buffer)
        let second = generator.writeNext(into: &buffer)
        #expect(first == 0)
        #expect(second == 1)
        let text = String(buffer: buffer)
        #expect(text.hasPrefix("*3\r\n$3\r\nSET\r\n$2\r\np0\r\n$"))
        #expect(text.hasSuffix("*2\r\n$3\r\nGET\r\n$2\r\np1\r\n"))
        #expect(workload.commandNames == ["SET", "GET"])
    }

    @Test func dataSizesParse() throws {
        #expect(try DataSize(parsing: "32").range == 32...32)
        #expect(try DataSize(parsing: "8-64").range == 8...64)
        #expect(throws: DataSize.InvalidSize.self) { try DataSize(parsing: "64-8") }
        var rng = SplitMix64(seed: 3)
        let size = try DataSize(parsing: "8-64")
        let sizes = (0..<1_000).map { _ in size.next(using: &rng) }
        #expect(sizes.allSatisfy { (8...64).contains($0) })
        #expect(Set(sizes).count > 40)
    }
}

@Suite struct BenchTargetTests {
    @Test func parsesEndpoints() throws {
        #expect(try BenchTarget.parseEndpoint("127.0.0.1:6380") == .tcp(host: "127.0.0.1", port: 6380))
        #expect(try BenchTarget.parseEndpoint("redis.local") == .tcp(host: "redis.local", port: 6379))
        #expect(try BenchTarget.parseEndpoint("[::1]:7000") == .tcp(host: "::1", port: 7000))
        #expect(try BenchTarget.parseEndpoint("7001") == .tcp(host: "127.0.0.1", port: 7001))
        #expect(try BenchTarget.parseEndpoint("unix:/tmp/r.sock") == .unixSocket(path: "/tmp/r.sock"))
        #expect(try BenchTarget.parseEndpoint("/tmp/r.sock") == .unixSocket(path: "/tmp/r.sock"))
        #expect(throws: BenchTarget.InvalidTarget.self) { try BenchTarget.parseEndpoint("host:99999") }
    }

    @Test func requestsSplitAcrossConnections() {
        var configuration = BenchConfiguration(workload: Workload.sample)
        configuration.connections = 3
        configuration.length = .requests(10)
        #expect((0..<3).map { configuration.quota(ofConnection: $0) } == [4, 3, 3])
        configuration.length = .duration(.seconds(1))
        #expect(configuration.quota(ofConnection: 0) == nil)
    }
}

extension Workload {
    static let sample = Workload(
        keyPrefix: "key:",
        keyRange: 0...999,
        keyPattern: .uniform,
        dataSize: DataSize(32...32),
        mix: .ratio(RatioScheduler(sets: 1, gets: 10))
    )
}
