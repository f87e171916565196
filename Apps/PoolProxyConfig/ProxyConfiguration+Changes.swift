extension ProxyConfiguration {
    /// What reloading from `old` to this configuration changes. Pools are matched by name.
    ///
    /// ```swift
    /// let next = try ProxyConfiguration.load(file: path)  // a bad file throws; keep running `current`
    /// let changes = next.changes(from: current)
    /// print(changes.added.map(\.name), changes.removed.map(\.name), changes.changed.map(\.changedKeys))
    /// ```
    public func changes(from old: ProxyConfiguration) -> ConfigurationChanges {
        let oldPools = Dictionary(old.pools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(self.pools.map(\.name))
        var changes = ConfigurationChanges()
        for pool in self.pools {
            switch oldPools[pool.name] {
            case nil: changes.added.append(pool)
            case let previous? where previous == pool: changes.unchanged.append(pool)
            case let previous?: changes.changed.append(ServerPoolChange(old: previous, new: pool))
            }
        }
        changes.removed = old.pools.filter { !newNames.contains($0.name) }
        return changes
    }
}
