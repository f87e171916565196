import CircuitBreaker

// Release-mode cost of the breaker's hot path. Run with:
// swift run -c release --package-path Packages/CircuitBreaker CircuitBreakerBenchmark

func measure(_ name: String, iterations: Int, _ body: () -> Int) {
    let clock = ContinuousClock()
    var checksum = body()  // warm-up
    let elapsed = clock.measure { checksum &+= body() }
    let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    let perCall = nanoseconds / Double(iterations)
    print("\(name): \((perCall * 10).rounded() / 10) ns per call (checksum \(checksum % 7))")
}

let iterations = 2_000_000
var configuration = CircuitBreakerConfiguration()
configuration.failureRateThreshold = 1

measure("state machine, count window, acquire + record", iterations: iterations) {
    var machine = CircuitBreakerStateMachine(configuration: configuration)
    let now = Duration.zero
    var granted = 0
    for index in 0..<iterations {
        if case .permitted(let tag) = machine.acquirePermit(at: now).decision {
            _ = machine.record(index % 10 == 0 ? .failure : .success, duration: .milliseconds(1), for: tag, at: now)
            granted += 1
        }
    }
    return granted
}

var timeConfiguration = configuration
timeConfiguration.slidingWindow = .timeBased(buckets: 10, bucketWidth: .milliseconds(100))
measure("state machine, time window, acquire + record", iterations: iterations) {
    var machine = CircuitBreakerStateMachine(configuration: timeConfiguration)
    var granted = 0
    for index in 0..<iterations {
        // Time moves 1 µs per call, so buckets roll over as they would under load.
        let now = Duration.microseconds(index)
        if case .permitted(let tag) = machine.acquirePermit(at: now).decision {
            _ = machine.record(index % 10 == 0 ? .failure : .success, duration: .milliseconds(1), for: tag, at: now)
            granted += 1
        }
    }
    return granted
}

measure("CircuitBreaker shell (lock + ContinuousClock), acquire + record", iterations: iterations) {
    let breaker = CircuitBreaker(configuration: configuration)
    var granted = 0
    for index in 0..<iterations {
        if let permit = try? breaker.acquirePermit() {
            permit.record(index % 10 == 0 ? .failure : .success, duration: .milliseconds(1))
            granted += 1
        }
    }
    return granted
}

measure("CircuitBreaker shell, instants passed in (lock-free permit, one lock, no clock)", iterations: iterations) {
    let breaker = CircuitBreaker(configuration: configuration)
    let instant = ContinuousClock.now
    var granted = 0
    for index in 0..<iterations {
        if let permit = try? breaker.acquirePermit(at: instant) {
            permit.record(index % 10 == 0 ? .failure : .success, at: instant)
            granted += 1
        }
    }
    return granted
}
