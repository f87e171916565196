/// A property the proxy broke for one fuzz input: what was expected and what happened.
///
/// ```swift
/// do { try ProxyRequestFuzzer.run(Array("PING\r\n".utf8)) } catch { print(error) }
/// ```
public struct ProxyFuzzFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
