/// How a stored value's payload is encoded, written as the value's first byte.
///
/// The two header bytes are control characters that text values (UTF-8 strings, JSON, numbers) never start
/// with. A value whose first byte is neither was written by another client without a header: it is read as it
/// is, raw and whole (see ``ValueFrame``).
///
/// ```swift
/// ValueEncoding(headerByte: 0x01)   // .zlib
/// ValueEncoding(headerByte: 0x7B)   // nil: "{", a JSON value written by someone else
/// ```
public enum ValueEncoding: UInt8, Sendable, Hashable, CaseIterable {
    /// The payload follows unchanged.
    case raw = 0x00
    /// The payload is a zlib stream (RFC 1950) of the value.
    case zlib = 0x01

    /// The encoding a header byte names, or `nil` for a value without a header.
    public init?(headerByte: UInt8) {
        self.init(rawValue: headerByte)
    }

    /// The header byte.
    public var headerByte: UInt8 { self.rawValue }
}
