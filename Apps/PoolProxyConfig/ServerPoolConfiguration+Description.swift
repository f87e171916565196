extension ServerPoolConfiguration: CustomStringConvertible {
    /// The pool's name, address and servers; never its secrets, so a configuration is safe to log.
    public var description: String {
        let servers = self.servers.map { "\($0.host):\($0.port)" }.joined(separator: ",")
        return "pool '\(self.name)' listen \(self.listen) servers \(servers)"
    }
}
