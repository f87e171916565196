import NIOCore
import RESPCodec

/// Parse and encode throughput of RESPCodec against a naive decode-to-enum baseline, in one run.
///
///     swift run -c release --package-path Benchmarks/RESPCodecBenchmarks RESPCodecBenchmarks [--quick]
@main
enum RESPCodecBenchmarks {
    struct Workload {
        let name: String
        let mode: RESPParser.Mode
        let wire: ByteBuffer
        let frames: Int
    }

    struct Measurement {
        let bytesPerSecond: Double
        let framesPerSecond: Double
    }

    static func main() throws {
        let quick = CommandLine.arguments.contains("--quick")
        let budget: Duration = quick ? .milliseconds(150) : .milliseconds(600)
        let workloads = [Self.getSetPipeline(), Self.largeValues(), Self.largeArrays()]

        print("RESPCodec benchmark (release build, best of 5 runs of \(budget) each)")
        print("")
        print(Self.row(["workload", "codec", "MB/s", "frames/s", "vs naive"]))
        print(Self.row(["--------", "-----", "----", "--------", "--------"]))
        for workload in workloads {
            let naive = try Self.measure(workload, budget: budget) { buffer in
                var count = 0
                while let value = try NaiveRESPValue.parse(from: &buffer) {
                    Self.blackHole(value)
                    count += 1
                }
                return count
            }
            let zeroCopy = try Self.measure(workload, budget: budget) { buffer in
                var parser = RESPParser(mode: workload.mode)
                var count = 0
                while let token = try parser.next(&buffer) {
                    Self.blackHole(token)
                    count += 1
                }
                return count
            }
            let decoded = try Self.measure(workload, budget: budget) { buffer in
                var parser = RESPParser(mode: workload.mode)
                var count = 0
                while let token = try parser.next(&buffer) {
                    Self.blackHole(RESPValue(token))
                    count += 1
                }
                return count
            }
            Self.report(workload.name, "naive enum parse", naive, baseline: naive)
            Self.report(workload.name, "RESPCodec token parse", zeroCopy, baseline: naive)
            Self.report(workload.name, "RESPCodec parse+RESPValue", decoded, baseline: naive)
        }

        print("")
        let commands = (0..<1000).map { index -> [String] in
            index % 2 == 0
                ? ["GET", "key:\(100_000 + index)"]
                : ["SET", "key:\(100_000 + index)", String(repeating: "v", count: 64)]
        }
        let naiveEncode = Self.measureEncode(budget: budget, frames: commands.count) { buffer in
            for command in commands {
                NaiveRESPValue.array(command.map { .bulkString(ByteBuffer(string: $0)) }).write(to: &buffer)
            }
        }
        let fastEncode = Self.measureEncode(budget: budget, frames: commands.count) { buffer in
            for command in commands { buffer.writeRESPCommand(command) }
        }
        Self.report("GET/SET commands", "naive encode", naiveEncode, baseline: naiveEncode)
        Self.report("GET/SET commands", "RESPCodec encode", fastEncode, baseline: naiveEncode)
        let value = RESPValue.array((0..<1000).map { .bulkString("element:\($0)") })
        let naiveValue = NaiveRESPValue.array((0..<1000).map { .bulkString(ByteBuffer(string: "element:\($0)")) })
        let naiveArrayEncode = Self.measureEncode(budget: budget, frames: 1) { naiveValue.write(to: &$0) }
        let fastArrayEncode = Self.measureEncode(budget: budget, frames: 1) { $0.writeRESPValue(value) }
        Self.report("1000-element array", "naive encode", naiveArrayEncode, baseline: naiveArrayEncode)
        Self.report("1000-element array", "RESPCodec encode", fastArrayEncode, baseline: naiveArrayEncode)
    }

    // MARK: - Workloads

    static func getSetPipeline() -> Workload {
        var wire = ByteBuffer()
        let value = String(repeating: "v", count: 64)
        let frames = 10_000
        for index in 0..<frames {
            if index % 2 == 0 {
                wire.writeRESPCommand("GET", "key:\(100_000 + index)")
            } else {
                wire.writeRESPCommand("SET", "key:\(100_000 + index)", value)
            }
        }
        return Workload(name: "GET/SET pipeline (requests)", mode: .request, wire: wire, frames: frames)
    }

    static func largeValues() -> Workload {
        var wire = ByteBuffer()
        let payload = ByteBuffer(repeating: UInt8(ascii: "x"), count: 16 * 1024)
        let frames = 1000
        for _ in 0..<frames { wire.writeRESPValue(.bulkString(payload)) }
        return Workload(name: "16 KB bulk strings (replies)", mode: .reply, wire: wire, frames: frames)
    }

    static func largeArrays() -> Workload {
        var wire = ByteBuffer()
        let array = RESPValue.array((0..<1000).map { .bulkString("element:\($0)") })
        let frames = 50
        for _ in 0..<frames { wire.writeRESPValue(array) }
        return Workload(name: "1000-element arrays (replies)", mode: .reply, wire: wire, frames: frames)
    }

    // MARK: - Measuring

    static func measure(
        _ workload: Workload,
        budget: Duration,
        _ body: (inout ByteBuffer) throws -> Int
    ) throws -> Measurement {
        var best = Measurement(bytesPerSecond: 0, framesPerSecond: 0)
        let clock = ContinuousClock()
        for _ in 0..<5 {
            var iterations = 0
            let start = clock.now
            var elapsed: Duration = .zero
            repeat {
                var buffer = workload.wire
                let frames = try body(&buffer)
                precondition(frames == workload.frames && buffer.readableBytes == 0, "parsed \(frames) frames")
                iterations += 1
                elapsed = clock.now - start
            } while elapsed < budget
            let seconds = Self.seconds(elapsed)
            let bytes = Double(workload.wire.readableBytes * iterations)
            if bytes / seconds > best.bytesPerSecond {
                best = Measurement(
                    bytesPerSecond: bytes / seconds,
                    framesPerSecond: Double(workload.frames * iterations) / seconds
                )
            }
        }
        return best
    }

    static func measureEncode(budget: Duration, frames: Int, _ body: (inout ByteBuffer) -> Void) -> Measurement {
        var best = Measurement(bytesPerSecond: 0, framesPerSecond: 0)
        let clock = ContinuousClock()
        var buffer = ByteBuffer()
        buffer.reserveCapacity(1 << 20)
        for _ in 0..<5 {
            var iterations = 0
            var bytes = 0
            let start = clock.now
            var elapsed: Duration = .zero
            repeat {
                buffer.clear()
                body(&buffer)
                bytes += buffer.readableBytes
                iterations += 1
                elapsed = clock.now - start
            } while elapsed < budget
            let seconds = Self.seconds(elapsed)
            if Double(bytes) / seconds > best.bytesPerSecond {
                best = Measurement(
                    bytesPerSecond: Double(bytes) / seconds,
                    framesPerSecond: Double(frames * iterations) / seconds
                )
            }
        }
        return best
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    @inline(never)
    static func blackHole<T>(_ value: T) {
        withExtendedLifetime(value) {}
    }

    static func report(_ workload: String, _ codec: String, _ measurement: Measurement, baseline: Measurement) {
        let megabytes = measurement.bytesPerSecond / 1_000_000
        let ratio = measurement.bytesPerSecond / baseline.bytesPerSecond
        print(
            Self.row([
                workload, codec, String(format: megabytes), String(format: measurement.framesPerSecond),
                ratio == 1 ? "1.00x" : "\(Self.twoDecimals(ratio))x",
            ])
        )
    }

    static func twoDecimals(_ value: Double) -> String {
        let scaled = (value * 100).rounded() / 100
        let text = String(scaled)
        let parts = text.split(separator: ".")
        guard parts.count == 2 else { return text }
        return "\(parts[0]).\(parts[1])\(parts[1].count < 2 ? "0" : "")"
    }

    static func row(_ columns: [String]) -> String {
        let widths = [32, 28, 10, 14, 9]
        return zip(columns, widths).map { column, width in
            column + String(repeating: " ", count: max(0, width - column.count))
        }.joined(separator: " ")
    }
}

extension String {
    fileprivate init(format value: Double) {
        self = value >= 100 ? String(Int(value.rounded())) : RESPCodecBenchmarks.twoDecimals(value)
    }
}
