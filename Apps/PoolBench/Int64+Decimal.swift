extension Int64 {
    var decimalDigitCount: Int {
        var value = self.magnitude
        var digits = self < 0 ? 2 : 1
        while value >= 10 {
            value /= 10
            digits += 1
        }
        return digits
    }
}
