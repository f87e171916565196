/// A named error for tests.
///
/// ```swift
/// factory.failNextDial(with: MockError("connection refused"))
/// ```
public struct MockError: Error, Hashable, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// Creates an error with a description.
    public init(_ description: String) {
        self.description = description
    }
}
