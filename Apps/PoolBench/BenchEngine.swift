import Foundation
import NIOCore
import NIOPosix
import RESPCodec
import SocketIO

/// Runs one benchmark against one target: connects `connections` channels spread over the group's event loops,
/// completes the handshakes, starts every connection at one common time, waits for them to finish and returns the
/// measured results.
///
/// ```swift
/// let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
/// let result = try await BenchEngine.run(configuration, target: target, group: group)
/// print(ReportFormatter.table(result))
/// ```
enum BenchEngine {
    struct ConnectFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// - Parameters:
    ///   - progress: called about once a second with the live status line, or never when nil.
    ///   - stopper: ends the run early; the result then covers the time up to the stop.
    static func run(
        _ configuration: BenchConfiguration,
        target: BenchTarget,
        group: any EventLoopGroup,
        progress: (@Sendable (String) -> Void)? = nil,
        stopper: BenchStopper? = nil
    ) async throws -> BenchResult {
        precondition(configuration.connections > 0 && !target.endpoints.isEmpty)
        let recorder = BenchRecorder(
            commandNames: configuration.workload.commandNames,
            openLoop: configuration.rate != nil
        )
        let channels = try await Self.connect(configuration, target: target, group: group, recorder: recorder)
        defer {
            for channel in channels { channel.close(promise: nil) }
        }

        // A short lead time lets every connection see the same start before its first request.
        let start = NIODeadline.now().uptimeNanoseconds + 20_000_000
        let measureStart = start + UInt64(max(0, configuration.warmup.nanosecondsValue))
        let end: UInt64? =
            if case .duration(let duration) = configuration.length {
                measureStart + UInt64(max(0, duration.nanosecondsValue))
            } else {
                nil
            }
        let drainDeadline = end.map { $0 + UInt64(max(0, configuration.drainTimeout.nanosecondsValue)) }

        var finished: [EventLoopFuture<UInt64>] = []
        for (index, channel) in channels.enumerated() {
            let plan = BenchClientHandler.Plan(
                pipeline: configuration.pipeline,
                start: start,
                schedule: configuration.rate.map {
                    OpenLoopSchedule(
                        totalRate: $0,
                        connections: configuration.connections,
                        connection: index,
                        start: start
                    )
                },
                measureStart: measureStart,
                end: end,
                quota: configuration.quota(ofConnection: index),
                drainDeadline: drainDeadline,
                stallTimeout: configuration.stallTimeout.map { UInt64(max(1, $0.nanosecondsValue)) }
            )
            finished.append(
                channel.eventLoop.flatSubmit {
                    do {
                        return try channel.pipeline.syncOperations.handler(type: BenchClientHandler.self).start(plan)
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
            )
        }

        let stopToken = stopper?.addObserver {
            for channel in channels {
                channel.eventLoop.execute {
                    try? channel.pipeline.syncOperations.handler(type: BenchClientHandler.self).interrupt()
                }
            }
        }
        defer { if let stopToken { stopper?.removeObserver(stopToken) } }

        let reporter = progress.map { report in
            Task {
                await Self.reportProgress(
                    recorder: recorder,
                    measureStart: measureStart,
                    start: start,
                    end: end,
                    report: report
                )
            }
        }
        var lastReply: UInt64 = 0
        for future in finished {
            lastReply = max(lastReply, (try? await future.get()) ?? 0)
        }
        reporter?.cancel()
        _ = await reporter?.result

        let elapsedNanoseconds: UInt64
        if let stoppedAt = stopper?.stoppedAt, stoppedAt < (end ?? .max) {
            elapsedNanoseconds = stoppedAt > measureStart ? stoppedAt - measureStart : 0
        } else if let end {
            elapsedNanoseconds = end - measureStart
        } else {
            elapsedNanoseconds = lastReply > measureStart ? lastReply - measureStart : 0
        }
        return recorder.result(target: target.description, elapsed: .nanoseconds(Int64(elapsedNanoseconds)))
    }

    private static func connect(
        _ configuration: BenchConfiguration,
        target: BenchTarget,
        group: any EventLoopGroup,
        recorder: BenchRecorder
    ) async throws -> [any Channel] {
        let handshake = configuration.handshake.commands
        let workload = configuration.workload
        return try await withThrowingTaskGroup(of: (Int, any Channel).self) { tasks in
            for index in 0..<configuration.connections {
                let endpoint = target.endpoints[index % target.endpoints.count]
                let loop = group.next()
                let generator = workload.makeGenerator(
                    connection: index,
                    of: configuration.connections,
                    seed: configuration.seed
                )
                tasks.addTask {
                    let channel: any Channel
                    do {
                        channel = try await SocketConnector.connect(
                            to: endpoint,
                            options: configuration.socket,
                            eventLoopGroup: loop
                        ) { channel in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(
                                    BenchClientHandler(
                                        eventLoop: channel.eventLoop,
                                        generator: generator,
                                        recorder: recorder,
                                        handshake: handshake
                                    )
                                )
                            }
                        }
                    } catch {
                        throw ConnectFailed(description: "cannot connect to \(endpoint): \(Self.reason(error))")
                    }
                    do {
                        try await channel.eventLoop.flatSubmit {
                            do {
                                return try channel.pipeline.syncOperations.handler(type: BenchClientHandler.self)
                                    .beginHandshake()
                            } catch {
                                return channel.eventLoop.makeFailedFuture(error)
                            }
                        }.get()
                    } catch {
                        channel.close(promise: nil)
                        throw ConnectFailed(description: "\(endpoint): \(error)")
                    }
                    return (index, channel)
                }
            }
            var channels = [(Int, any Channel)]()
            do {
                for try await entry in tasks { channels.append(entry) }
            } catch {
                for (_, channel) in channels { channel.close(promise: nil) }
                throw error
            }
            return channels.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// `connection refused` rather than the whole error chain.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? SocketIOError else { return "\(error)" }
        switch error.code {
        case .connectionRefused: return "connection refused"
        case .connectTimeout: return "connect timed out"
        case .addressResolutionFailed: return "cannot resolve the address"
        case .tlsHandshakeFailed: return Self.tlsReason(error)
        default: return error.message
        }
    }

    /// BoringSSL's reason (`CERTIFICATE_VERIFY_FAILED`) and what to check, instead of the whole error chain with
    /// error numbers and source paths.
    static func tlsReason(_ error: SocketIOError) -> String {
        let text = "\(error.underlying.map { "\($0)" } ?? error.message)"
        guard let marker = text.range(of: "OPENSSL_internal:") else { return error.message }
        let code = String(text[marker.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        if code == "CERTIFICATE_VERIFY_FAILED" {
            return "TLS handshake failed: the server's certificate did not verify (\(code)); "
                + "check --tls-ca-file and --tls-server-name"
        }
        return "TLS handshake failed: \(code)"
    }

    private static func reportProgress(
        recorder: BenchRecorder,
        measureStart: UInt64,
        start: UInt64,
        end: UInt64?,
        report: @Sendable (String) -> Void
    ) async {
        var previousOperations: UInt64 = 0
        var previousTime = NIODeadline.now().uptimeNanoseconds
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { break }
            let now = NIODeadline.now().uptimeNanoseconds
            let operations = recorder.totalOperations
            let rate = Double(operations - previousOperations) / (Double(now - previousTime) / 1e9)
            previousOperations = operations
            previousTime = now
            let warming = now < measureStart
            let elapsed = Duration.nanoseconds(Int64(now > start ? now - start : 0))
            let remaining = end.map { Duration.nanoseconds(Int64($0 > now ? $0 - now : 0)) }
            report(
                ProgressLine.format(
                    operationsPerSecond: rate,
                    p99: recorder.allCorrected.snapshot().p99,
                    elapsed: elapsed,
                    remaining: remaining,
                    phase: warming ? "warm-up" : nil
                )
            )
        }
    }
}
