extension String {
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = self.firstIndex(where: { !isSpace($0) }), let last = self.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = self.firstIndex(where: { !isWhitespace($0) }),
            let last = self.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(self[first...last])
    }

    /// Without one final line break (`\n` or `\r\n`), as `echo secret > file` leaves it; other whitespace is kept,
    /// since it may be part of a password.
    func droppingOneTrailingNewline() -> String {
        if self.hasSuffix("\r\n") { return String(self.dropLast()) }  // "\r\n" is one Character
        if self.hasSuffix("\n") { return String(self.dropLast()) }
        return self
    }
}
