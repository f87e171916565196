/// The SHA-256 digest of a password: what the configuration stores instead of the password itself.
///
/// Generate one with `printf %s 'the password' | sha256sum`, or with `pool-proxy --hash-password`, which reads the
/// password from standard input.
///
/// ```swift
/// let stored = PasswordDigest(hex: "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8")!
/// assert(stored.matches(Array("password".utf8)))
/// ```
public struct PasswordDigest: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// The digest of `password`.
    public init(hashing password: some Collection<UInt8>) {
        var hasher = SHA256()
        hasher.update(Array(password))
        self.bytes = hasher.finalize()
    }

    /// Parses 64 hexadecimal digits, either case; `nil` for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// The digest as 64 lowercase hexadecimal digits.
    public var hex: String {
        let alphabet = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in self.bytes {
            text.append(alphabet[Int(byte >> 4)])
            text.append(alphabet[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `password` hashes to this digest. The comparison takes the same time wherever the digests differ,
    /// so response times tell an attacker nothing about how close a guess was.
    public func matches(_ password: some Collection<UInt8>) -> Bool {
        let candidate = PasswordDigest(hashing: password)
        var difference: UInt8 = 0
        for (a, b) in zip(self.bytes, candidate.bytes) { difference |= a ^ b }
        return difference == 0 && self.bytes.count == candidate.bytes.count
    }

    /// Redacted: a digest still lets an attacker test guesses offline, so it stays out of logs.
    public var description: String { "PasswordDigest(<redacted>)" }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
