/// What a reload (SIGHUP) changes, pool by pool. Pools are matched by name.
///
/// ```swift
/// let changes = new.changes(from: running)
/// for pool in changes.removed { /* stop its listener, drain its clients */ }
/// for change in changes.changed where change.listenChanged { /* rebind */ }
/// for pool in changes.added { /* bind and start */ }
/// ```
///
/// Close removed listeners and listeners that move before binding new ones: a pool may take over the address
/// another pool gave up in the same reload.
public struct ConfigurationChanges: Sendable, Hashable {
    /// Pools only in the new configuration, in its file order.
    public var added: [ServerPoolConfiguration]
    /// Pools only in the old configuration, in its file order.
    public var removed: [ServerPoolConfiguration]
    /// Pools in both with identical settings, in the new file order; their clients stay connected.
    public var unchanged: [ServerPoolConfiguration]
    /// Pools in both whose settings differ, in the new file order.
    public var changed: [ServerPoolChange]

    /// The changes from their parts.
    public init(
        added: [ServerPoolConfiguration] = [],
        removed: [ServerPoolConfiguration] = [],
        unchanged: [ServerPoolConfiguration] = [],
        changed: [ServerPoolChange] = []
    ) {
        self.added = added
        self.removed = removed
        self.unchanged = unchanged
        self.changed = changed
    }

    /// Whether the reload changes nothing.
    public var isEmpty: Bool {
        self.added.isEmpty && self.removed.isEmpty && self.changed.isEmpty
    }
}
