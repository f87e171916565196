/// Turns an error thrown by a guarded call into an outcome.
///
/// An error is first checked against `ignore` (the call is not counted at all), then against `isFailure`
/// (a failure; otherwise it counts as a success, as for a "key not found" error that says the backend is fine).
/// By default `CancellationError` is ignored and every other error is a failure.
///
/// ```swift
/// let classifier = CircuitBreakerErrorClassifier(
///     ignore: { $0 is CancellationError },
///     isFailure: { !($0 is KeyNotFoundError) }
/// )
/// assert(classifier.classify(CancellationError()) == .ignored)
/// ```
public struct CircuitBreakerErrorClassifier: Sendable {
    private let ignore: @Sendable (any Error) -> Bool
    private let isFailure: @Sendable (any Error) -> Bool

    /// Creates a classifier from two predicates; `ignore` wins over `isFailure`.
    public init(
        ignore: @escaping @Sendable (any Error) -> Bool = { $0 is CancellationError },
        isFailure: @escaping @Sendable (any Error) -> Bool = { _ in true }
    ) {
        self.ignore = ignore
        self.isFailure = isFailure
    }

    /// Ignores `CancellationError` and counts every other error as a failure.
    public static var `default`: Self { Self() }

    /// The outcome that `error` stands for.
    public func classify(_ error: any Error) -> CircuitBreakerOutcome {
        if self.ignore(error) { return .ignored }
        return self.isFailure(error) ? .failure : .success
    }
}
