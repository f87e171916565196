import NIOCore

extension ByteBuffer {
    /// Writes `value` in decimal ASCII without building a string: keys are written once per request.
    mutating func writeDecimal(_ value: Int64) {
        if value < 0 { self.writeInteger(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        self.writeWithUnsafeMutableBytes(minimumWritableBytes: digits) { pointer in
            var rest = magnitude
            for index in stride(from: digits - 1, through: 0, by: -1) {
                pointer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return digits
        }
    }
}
