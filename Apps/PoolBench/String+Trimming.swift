extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(self.drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}

extension String {
    func trimmingWhitespaceAtEnd() -> String {
        String(self.reversed().drop(while: { $0 == " " }).reversed())
    }
}
