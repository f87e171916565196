import Testing

@testable import CircuitBreaker

@Suite struct CircuitBreakerErrorClassifierTests {
    struct NotFound: Error {}
    struct Timeout: Error {}

    @Test func defaultIgnoresCancellationAndFailsEverythingElse() {
        let classifier = CircuitBreakerErrorClassifier.default
        #expect(classifier.classify(CancellationError()) == .ignored)
        #expect(classifier.classify(Timeout()) == .failure)
    }

    @Test func businessErrorsCanCountAsSuccesses() {
        let classifier = CircuitBreakerErrorClassifier(isFailure: { !($0 is NotFound) })
        #expect(classifier.classify(NotFound()) == .success)
        #expect(classifier.classify(Timeout()) == .failure)
    }

    @Test func ignoreWinsOverIsFailure() {
        let classifier = CircuitBreakerErrorClassifier(ignore: { $0 is Timeout }, isFailure: { _ in true })
        #expect(classifier.classify(Timeout()) == .ignored)
        #expect(classifier.classify(CancellationError()) == .failure)
    }
}
