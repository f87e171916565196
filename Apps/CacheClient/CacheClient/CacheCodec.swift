/// Turns `Codable` values into the bytes stored in Redis and back; plug your own into
/// ``CacheClientConfiguration/codec``.
///
/// The codec sees the value's own bytes: compression and the one-byte header are added after encoding and
/// removed before decoding.
///
/// ```swift
/// struct PropertyListCodec: CacheCodec {
///     func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] { ... }
///     func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value { ... }
/// }
/// configuration.codec = PropertyListCodec()
/// ```
public protocol CacheCodec: Sendable {
    /// The bytes for `value`.
    func encode<Value: Encodable>(_ value: Value) throws -> [UInt8]
    /// The value of type `type` that `bytes` hold.
    func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value
}
