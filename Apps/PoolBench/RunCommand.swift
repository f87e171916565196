import ArgumentParser
import BuildInfo
import Foundation
import NIOCore
import NIOPosix
import SocketIO

/// `pool-bench run`, the default subcommand: load against one target, or interleaved rounds against several.
///
/// ```swift
/// try await RunCommand.parse(["--server", "127.0.0.1:6379", "--requests", "1000"]).run()
/// ```
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load and latency against one target (the default), or --compare several.",
        discussion: """
            Closed loop (the default) keeps --pipeline requests in flight per connection, as redis-benchmark and \
            memtier_benchmark do. --rate switches to open loop: requests leave on a fixed schedule and latency is \
            measured from each request's intended send time, so server stalls are not hidden (coordinated omission, \
            as in wrk2). Both corrected and uncorrected percentiles are printed.

            Examples:
              pool-bench --server 127.0.0.1:6379 --duration 30s --warmup 5s --ratio 1:10
              pool-bench --rate 20000 --duration 30s --hdr get.hdr --plot get.svg
              pool-bench --command "HSET __key__ f __data__" --key-pattern Z:1.1
              pool-bench --compare 127.0.0.1:6379 127.0.0.1:22121 --rounds 5
            """,
        version: BuildInfo.versionText(app: "pool-bench")
    )

    // MARK: - Targets and connections

    @Option(name: .customLong("server"), help: "host:port of a server (repeat for several; connections round robin).")
    var servers: [String] = []

    @Option(help: "Path of a Unix socket to connect to instead of TCP.")
    var unix: String?

    @OptionGroup(title: "TLS")
    var tlsArguments: TLSArguments

    @Option(help: "ACL user name (with --password).")
    var user: String?

    @Option(help: "Password for AUTH (or HELLO 3 AUTH with --resp3).")
    var password: String?

    @Flag(help: "Speak RESP3 (HELLO 3).")
    var resp3 = false

    @Option(help: "Database number to SELECT.")
    var database = 0

    @Option(help: "Number of connections.")
    var clients = 50

    @Option(help: "Event loop threads (default: the number of cores).")
    var threads: Int?

    @Option(help: "Requests in flight per connection.")
    var pipeline = 1

    // MARK: - Length

    @Option(help: "Measured requests in total (instead of --duration).")
    var requests: Int?

    @Option(help: "Measured time, e.g. 30s, 500ms, 2m (default 10s unless --requests is given).")
    var duration: String?

    @Option(help: "Time before measuring starts, excluded from the results, e.g. 5s.")
    var warmup = "0s"

    @Option(help: "Open loop: total requests per second on a fixed schedule.")
    var rate: Double?

    // MARK: - Workload

    @Option(name: .customLong("data-size"), help: "Value size in bytes, or a range MIN-MAX.")
    var dataSize = "32"

    @Option(help: "SET:GET ratio, e.g. 1:10 (ignored with --command).")
    var ratio = "1:10"

    @Option(
        help: ArgumentHelp(
            "Command template; __key__ is the whole key (prefix and number), __data__ the value, "
                + "e.g. \"HSET __key__ f __data__\"."
        )
    )
    var command: String?

    @Option(name: .customLong("key-prefix"), help: "Prefix of every key.")
    var keyPrefix = "key:"

    @Option(name: .customLong("key-min"), help: "Smallest key number.")
    var keyMin: Int64 = 0

    @Option(name: .customLong("key-max"), help: "Largest key number.")
    var keyMax: Int64 = 99_999

    @Option(name: .customLong("key-pattern"), help: "R (uniform), S (sequential), G (Gaussian) or Z[:exponent] (zipf).")
    var keyPattern = "R"

    @Option(name: .customLong("key-median"), help: "Gaussian pattern: the centre (default: the middle of the range).")
    var keyMedian: Double?

    @Option(name: .customLong("key-stddev"), help: "Gaussian pattern: the standard deviation (default: range / 6).")
    var keyStddev: Double?

    @Option(help: "Seed for keys and sizes (runs with the same seed send the same keys).")
    var seed: UInt64 = 1

    // MARK: - Output and compare

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(help: "Write the HdrHistogram percentile distribution (all commands, corrected) to this file.")
    var hdr: String?

    @Option(help: "Draw latency by percentile as SVG to this file.")
    var plot: String?

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Run the workload against several targets in interleaved rounds (A B A B ...); "
                + "a target may list servers with commas."
        )
    )
    var compare: [String] = []

    @Option(help: "Rounds per target with --compare.")
    var rounds = 3

    @Flag(help: "No live progress line.")
    var quiet = false

    // MARK: - Run

    func validate() throws {
        guard self.clients > 0 else { throw ValidationError("--clients must be at least 1") }
        guard self.pipeline > 0 else { throw ValidationError("--pipeline must be at least 1") }
        guard (self.threads ?? 1) > 0 else { throw ValidationError("--threads must be at least 1") }
        guard self.keyMin <= self.keyMax else { throw ValidationError("--key-min must not exceed --key-max") }
        guard self.requests.map({ $0 > 0 }) ?? true else { throw ValidationError("--requests must be positive") }
        guard self.rate.map({ $0 > 0 && $0.isFinite }) ?? true else { throw ValidationError("--rate must be positive") }
        guard self.requests == nil || self.duration == nil else {
            throw ValidationError("give --requests or --duration, not both")
        }
        guard self.rounds > 0 else { throw ValidationError("--rounds must be at least 1") }
        guard self.compare.isEmpty || self.compare.count >= 2 else {
            throw ValidationError("--compare needs at least two targets")
        }
        guard self.compare.isEmpty || (self.servers.isEmpty && self.unix == nil) else {
            throw ValidationError("--compare replaces --server and --unix")
        }
    }

    func run() async throws {
        let configuration: BenchConfiguration
        do {
            configuration = try self.makeConfiguration()
        } catch let error as TLSArguments.LoadFailed {
            FileHandle.standardError.write(Data("pool-bench: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        let targets = try self.makeTargets()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        let stopper = BenchStopper()
        let interrupts = Self.stopOnInterrupt(stopper)
        defer { Self.restoreInterrupt(interrupts) }
        do {
            try await self.run(configuration, targets: targets, group: group, stopper: stopper)
        } catch let error as BenchEngine.ConnectFailed {
            try? await group.shutdownGracefully()
            FileHandle.standardError.write(Data("pool-bench: \(error.description)\n".utf8))
            throw ExitCode(1)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
        if stopper.isStopped { throw ExitCode(130) }
    }

    /// The first Ctrl-C ends the run and prints what was measured; a second one exits at once.
    static func stopOnInterrupt(_ stopper: BenchStopper) -> any DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if stopper.isStopped { Foundation.exit(130) }
            FileHandle.standardError.write(Data("\npool-bench: interrupted, results so far:\n".utf8))
            stopper.stop()
        }
        source.resume()
        return source
    }

    static func restoreInterrupt(_ source: any DispatchSourceSignal) {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }

    private func run(
        _ configuration: BenchConfiguration,
        targets: [BenchTarget],
        group: any EventLoopGroup,
        stopper: BenchStopper
    ) async throws {
        let showProgress = !self.quiet && ProgressLine.isTerminal
        let progress: (@Sendable (String) -> Void)?
        if showProgress {
            progress = { @Sendable line in FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8)) }
        } else {
            progress = nil
        }
        let clearProgress = {
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
        let header = self.header(configuration)

        if targets.count == 1 {
            let result = try await BenchEngine.run(
                configuration,
                target: targets[0],
                group: group,
                progress: progress,
                stopper: stopper
            )
            clearProgress()
            print(ReportFormatter.table(result, header: header))
            try self.writeOutputs(configuration, runs: [(result, nil)], comparison: nil, perTarget: [[result]])
            if result.total.errorCount > 0 { throw ExitCode(2) }
            return
        }

        var perTarget = [[BenchResult]](repeating: [], count: targets.count)
        var runs: [(BenchResult, Int?)] = []
        rounds: for round in 1...self.rounds {
            for (index, target) in targets.enumerated() {
                if stopper.isStopped { break rounds }
                let label = "round \(round)/\(self.rounds) \(target):"
                var roundProgress: (@Sendable (String) -> Void)?
                if let progress {
                    roundProgress = { @Sendable line in progress(label + " " + line) }
                }
                let result = try await BenchEngine.run(
                    configuration,
                    target: target,
                    group: group,
                    progress: roundProgress,
                    stopper: stopper
                )
                clearProgress()
                print(
                    String(
                        format: "round %d/%d  %@  %.0f ops/s  p50 %@ ms  p99 %@ ms  errors %llu",
                        round,
                        self.rounds,
                        target.description,
                        result.operationsPerSecond,
                        ReportFormatter.milliseconds(result.total.latency.p50),
                        ReportFormatter.milliseconds(result.total.latency.p99),
                        result.total.errorCount
                    )
                )
                perTarget[index].append(result)
                runs.append((result, round))
            }
        }
        // Interrupted before every target ran once: the rounds above are all there is to show.
        if perTarget.contains(where: \.isEmpty) { return }
        let rows = CompareSummary.rows(targets: targets.map(\.description), results: perTarget)
        print("")
        print("Compare (\(header)):")
        print(CompareSummary.table(rows))
        try self.writeOutputs(configuration, runs: runs, comparison: rows, perTarget: perTarget)
        if runs.contains(where: { $0.0.total.errorCount > 0 }) { throw ExitCode(2) }
    }

    // MARK: - Building the configuration

    func makeConfiguration() throws -> BenchConfiguration {
        let mix: Workload.Mix
        if let command {
            mix = .template(try CommandTemplate(parsing: command))
        } else {
            mix = .ratio(try RatioScheduler(parsing: self.ratio))
        }
        var pattern = try KeyPattern(parsing: self.keyPattern)
        if case .gaussian = pattern { pattern = .gaussian(median: self.keyMedian, standardDeviation: self.keyStddev) }
        let workload = Workload(
            keyPrefix: self.keyPrefix,
            keyRange: self.keyMin...self.keyMax,
            keyPattern: pattern,
            dataSize: try DataSize(parsing: self.dataSize),
            mix: mix
        )
        var configuration = BenchConfiguration(workload: workload)
        configuration.connections = self.clients
        configuration.threads = self.threads ?? System.coreCount
        configuration.pipeline = self.pipeline
        if let requests {
            configuration.length = .requests(requests)
        } else {
            configuration.length = .duration(try DurationParser.parse(self.duration ?? "10s"))
        }
        configuration.warmup = try DurationParser.parse(self.warmup)
        configuration.rate = self.rate
        configuration.seed = self.seed
        configuration.handshake = RESPHandshake(
            username: self.user,
            password: self.password,
            protocolVersion: self.resp3 ? 3 : 2,
            database: self.database,
            clientName: nil
        )
        configuration.socket.tls = try self.tlsArguments.clientOptions()
        return configuration
    }

    func makeTargets() throws -> [BenchTarget] {
        if !self.compare.isEmpty {
            return try self.compare.map { text in
                BenchTarget(endpoints: try text.split(separator: ",").map { try BenchTarget.parseEndpoint(String($0)) })
            }
        }
        var endpoints = try self.servers.map { try BenchTarget.parseEndpoint($0) }
        if let unix { endpoints.append(.unixSocket(path: unix)) }
        if endpoints.isEmpty { endpoints = [.tcp(host: "127.0.0.1", port: 6379)] }
        return [BenchTarget(endpoints: endpoints)]
    }

    func header(_ configuration: BenchConfiguration) -> String {
        var parts = [configuration.rate.map { String(format: "open loop at %.0f req/s", $0) } ?? "closed loop"]
        parts.append("\(configuration.connections) connections on \(configuration.threads) threads")
        parts.append("pipeline \(configuration.pipeline)")
        switch configuration.workload.mix {
        case .ratio(let ratio): parts.append("SET:GET \(ratio.description)")
        case .template(let template): parts.append("\"\(template.text)\"")
        }
        parts.append("keys \(configuration.workload.keyPattern) \(self.keyMin)...\(self.keyMax)")
        parts.append("data \(configuration.workload.dataSize) B")
        return parts.joined(separator: ", ")
    }

    // MARK: - Files

    func settings(_ configuration: BenchConfiguration) -> JSONReport.Settings {
        var requests: Int?
        var durationSeconds: Double?
        switch configuration.length {
        case .requests(let count): requests = count
        case .duration(let duration): durationSeconds = duration.secondsValue
        }
        return JSONReport.Settings(
            mode: configuration.rate == nil ? "closed-loop" : "open-loop",
            rate: configuration.rate,
            connections: configuration.connections,
            threads: configuration.threads,
            pipeline: configuration.pipeline,
            requests: requests,
            durationSeconds: durationSeconds,
            warmupSeconds: configuration.warmup.secondsValue,
            workload: self.command ?? "SET:GET \(self.ratio)",
            keyPattern: configuration.workload.keyPattern.description,
            keyRange: [self.keyMin, self.keyMax],
            dataSize: configuration.workload.dataSize.description,
            seed: configuration.seed
        )
    }

    func writeOutputs(
        _ configuration: BenchConfiguration,
        runs: [(BenchResult, Int?)],
        comparison: [CompareSummary.Row]?,
        perTarget: [[BenchResult]]
    ) throws {
        if let json {
            let report = JSONReport(
                settings: self.settings(configuration),
                runs: runs.map { JSONReport.Run($0.0, round: $0.1) },
                comparison: comparison?.map {
                    JSONReport.Comparison(
                        target: $0.target,
                        rounds: $0.rounds,
                        medianOperationsPerSecond: $0.medianOperationsPerSecond,
                        medianP50Microseconds: $0.medianP50.nanosecondsValue / 1000,
                        medianP99Microseconds: $0.medianP99.nanosecondsValue / 1000,
                        throughputRatio: $0.throughputRatio,
                        p99Ratio: $0.p99Ratio
                    )
                }
            )
            try report.encoded().write(to: URL(fileURLWithPath: json))
        }
        if let hdr {
            for (index, results) in perTarget.enumerated() {
                // The round with the median throughput stands for its target.
                let sorted = results.sorted { $0.operationsPerSecond < $1.operationsPerSecond }
                let result = sorted[sorted.count / 2]
                let path = perTarget.count == 1 ? hdr : Self.path(hdr, suffix: "\(index + 1)")
                try HdrPercentileDistribution.text(result.total.latency.snapshot)
                    .write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
        if let plot {
            let series: [LatencyPlot.Series]
            let title: String
            if perTarget.count == 1, let result = perTarget[0].first {
                title = "Latency by percentile, \(result.target)"
                series = Self.plotSeries(result)
            } else {
                title = "Latency by percentile (median of \(self.rounds) rounds)"
                series = zip(perTarget, comparison ?? []).map { results, row in
                    LatencyPlot.Series(label: row.target, points: CompareSummary.medianCurve(results))
                }
            }
            try LatencyPlot.svg(title: title, series: series).write(toFile: plot, atomically: true, encoding: .utf8)
        }
    }

    static func plotSeries(_ result: BenchResult) -> [LatencyPlot.Series] {
        var series: [LatencyPlot.Series] = []
        let rows = result.commands.count > 1 ? result.commands + [result.total] : result.commands
        for row in rows {
            let label = result.total.uncorrected == nil ? row.name : "\(row.name) corrected"
            series.append(
                .init(label: label, points: LatencyPlot.points(HdrPercentileDistribution.points(row.latency.snapshot)))
            )
            if let uncorrected = row.uncorrected {
                series.append(
                    .init(
                        label: "\(row.name) uncorrected",
                        points: LatencyPlot.points(HdrPercentileDistribution.points(uncorrected.snapshot))
                    )
                )
            }
        }
        return series
    }

    /// `latency.hdr` with suffix 2 becomes `latency-2.hdr`.
    static func path(_ path: String, suffix: String) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        let base = url.deletingPathExtension().path
        return ext.isEmpty ? "\(base)-\(suffix)" : "\(base)-\(suffix).\(ext)"
    }
}
