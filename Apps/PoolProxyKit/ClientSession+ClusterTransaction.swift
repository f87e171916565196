import NIOCore
import RESPCodec

/// MULTI/EXEC and WATCH in a cluster pool. A transaction runs on one node, the one owning its keys, but `MULTI`
/// names no key: the proxy answers it, waits for the first command with a key, and then takes a dedicated
/// connection to that key's master, sends `MULTI` there and the command after it. The node itself checks that
/// the later keys share the slot, as Redis Cluster does for every transaction.
extension ClientSession {
    /// Returns nil when the command is not the transaction's business.
    func dispatchClusterTransaction(_ command: RESPCommandSpec) -> Bool? {
        if self.isHoldingClusterTransaction {
            switch command.name {
            case "exec":
                self.isHoldingClusterTransaction = false
                self.replyLocally(ProxyReply.emptyArray)
                return true
            case "discard":
                self.isHoldingClusterTransaction = false
                self.replyLocally(ProxyReply.ok)
                return true
            case "multi":
                self.replyLocally(ProxyReply.error("ERR MULTI calls can not be nested"))
                return true
            default:
                break
            }
            command.keyIndices(in: self.arguments, into: &self.keyIndices)
            guard let first = self.keyIndices.first,
                let server = self.loopPool.serverIndex(forKey: self.arguments[first])
            else {
                self.isHoldingClusterTransaction = false
                self.replyLocally(
                    ProxyReply.proxyError(
                        "in a cluster pool the first command after MULTI must have a key, to choose the node; "
                            + "the transaction is discarded"
                    )
                )
                return true
            }
            // Earlier replies first; this request waits, and comes back here, until they are in.
            guard self.slots.isEmpty else { return false }
            self.isHoldingClusterTransaction = false
            self.startsClusterTransaction = true
            return self.pin(server: server)
        }
        switch command.name {
        case "multi":
            self.isHoldingClusterTransaction = true
            self.replyLocally(ProxyReply.ok)
            return true
        case "watch":
            command.keyIndices(in: self.arguments, into: &self.keyIndices)
            guard let first = self.keyIndices.first,
                let server = self.loopPool.serverIndex(forKey: self.arguments[first])
            else { return nil }
            return self.pin(server: server)
        case "exec", "discard", "unwatch":
            // Outside a transaction: Redis's own answers.
            if command.name == "unwatch" {
                self.replyLocally(ProxyReply.ok)
            } else {
                self.replyLocally(ProxyReply.error("ERR \(command.name.uppercased()) without MULTI"))
            }
            return true
        default:
            return nil
        }
    }
}
