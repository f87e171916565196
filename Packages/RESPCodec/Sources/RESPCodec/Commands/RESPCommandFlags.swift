/// The flags Redis reports for a command in `COMMAND INFO`, such as `readonly`, `write` or `blocking`.
///
/// ```swift
/// let get = RESPCommandTable.lookup("GET")!
/// assert(get.flags.contains([.readonly, .fast]))
/// ```
public struct RESPCommandFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// `write`: may modify the dataset.
    public static let write = RESPCommandFlags(rawValue: 1 << 0)
    /// `readonly`: only reads keys.
    public static let readonly = RESPCommandFlags(rawValue: 1 << 1)
    /// `denyoom`: refused when the server is over `maxmemory`.
    public static let denyOOM = RESPCommandFlags(rawValue: 1 << 2)
    /// `module`: implemented by a module.
    public static let module = RESPCommandFlags(rawValue: 1 << 3)
    /// `admin`: an administrative command.
    public static let admin = RESPCommandFlags(rawValue: 1 << 4)
    /// `pubsub`: part of publish/subscribe.
    public static let pubsub = RESPCommandFlags(rawValue: 1 << 5)
    /// `noscript`: not allowed in scripts.
    public static let noScript = RESPCommandFlags(rawValue: 1 << 6)
    /// `blocking`: may block the client.
    public static let blocking = RESPCommandFlags(rawValue: 1 << 7)
    /// `loading`: allowed while the dataset loads.
    public static let loading = RESPCommandFlags(rawValue: 1 << 8)
    /// `stale`: allowed on a replica with stale data.
    public static let stale = RESPCommandFlags(rawValue: 1 << 9)
    /// `skip_monitor`: not shown to `MONITOR`.
    public static let skipMonitor = RESPCommandFlags(rawValue: 1 << 10)
    /// `skip_slowlog`: not recorded in the slow log.
    public static let skipSlowlog = RESPCommandFlags(rawValue: 1 << 11)
    /// `asking`: accepted for importing slots in cluster mode.
    public static let asking = RESPCommandFlags(rawValue: 1 << 12)
    /// `fast`: O(1) or O(log N).
    public static let fast = RESPCommandFlags(rawValue: 1 << 13)
    /// `no_auth`: allowed before authentication.
    public static let noAuth = RESPCommandFlags(rawValue: 1 << 14)
    /// `may_replicate`: may be replicated even though it is not a write.
    public static let mayReplicate = RESPCommandFlags(rawValue: 1 << 15)
    /// `sentinel`: available in Sentinel mode.
    public static let sentinel = RESPCommandFlags(rawValue: 1 << 16)
    /// `only_sentinel`: available only in Sentinel mode.
    public static let onlySentinel = RESPCommandFlags(rawValue: 1 << 17)
    /// `no_mandatory_keys`: may take keys but need not.
    public static let noMandatoryKeys = RESPCommandFlags(rawValue: 1 << 18)
    /// `protected`: disabled unless enabled in the configuration.
    public static let protected = RESPCommandFlags(rawValue: 1 << 19)
    /// `module_getkeys`: a module command that finds its own keys.
    public static let moduleGetKeys = RESPCommandFlags(rawValue: 1 << 20)
    /// `module_no_cluster`: a module command refused in cluster mode.
    public static let moduleNoCluster = RESPCommandFlags(rawValue: 1 << 21)
    /// `no_async_loading`: refused during asynchronous loading.
    public static let noAsyncLoading = RESPCommandFlags(rawValue: 1 << 22)
    /// `no_multi`: not allowed inside `MULTI`.
    public static let noMulti = RESPCommandFlags(rawValue: 1 << 23)
    /// `movablekeys`: key positions depend on the arguments, not only on their count.
    public static let movableKeys = RESPCommandFlags(rawValue: 1 << 24)
    /// `allow_busy`: allowed while a script or function is busy.
    public static let allowBusy = RESPCommandFlags(rawValue: 1 << 25)
    /// `module_getchannels`: a module command that finds its own channels.
    public static let moduleGetChannels = RESPCommandFlags(rawValue: 1 << 26)
}
