#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The default codec: JSON, with keys sorted so that equal values give equal bytes.
///
/// ```swift
/// let bytes = try JSONCacheCodec().encode(["a": 1])     // {"a":1}
/// ```
public struct JSONCacheCodec: CacheCodec {
    /// Creates the codec.
    public init() {}

    public func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }

    public func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
