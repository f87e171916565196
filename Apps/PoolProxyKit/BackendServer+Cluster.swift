import NIOCore
import RESPCodec

extension BackendServer {
    static let asking: ByteBuffer = {
        var bytes = ByteBuffer()
        bytes.writeRESPCommand(["ASKING"])
        return bytes
    }()

    /// Follows a cluster node's `MOVED`, `ASK`, `TRYAGAIN`, `CLUSTERDOWN` or `LOADING` error for a request, so the
    /// client sees the answer of the node that owns the key. Returns false when the error should reach the client
    /// as it is (another error, or a malformed redirect); past `max_redirects` the client gets an error saying so.
    func followClusterError(_ token: RESPToken, for waiting: PendingReply, now: UInt64) -> Bool {
        guard let request = waiting.request, case .simpleError(let message) = token.value else { return false }
        let text = String(buffer: message)
        let parts = text.split(separator: " ", maxSplits: 2)
        guard let kind = parts.first else { return false }
        let runtime = self.runtime
        guard kind == "MOVED" || kind == "ASK" || kind == "TRYAGAIN" || kind == "CLUSTERDOWN" || kind == "LOADING"
        else { return false }
        // The node answered: as far as its health goes, that was a success.
        self.recordSuccess(waiting, now: now)
        guard Int(waiting.redirects) < runtime.configuration.maxRedirects else {
            self.deliverToTarget(
                ProxyReply.proxyError(
                    "gave up after \(waiting.redirects) cluster redirects or retries (last: \(text))"
                ),
                target: waiting.target
            )
            return true
        }
        let protocolVersion = self.protocolVersion(of: waiting)
        guard kind == "MOVED" || kind == "ASK" else {
            // The slot is migrating (TRYAGAIN), or the cluster is failing over (CLUSTERDOWN) or loading: ask the
            // same node again shortly; a failover also moves the slot, which the refresh learns.
            if kind != "TRYAGAIN" { runtime.requestClusterRefresh() }
            self.retryClusterRequest(request, for: waiting, protocolVersion: protocolVersion)
            return true
        }
        guard parts.count == 3, let slot = Int(parts[1]), let colon = parts[2].lastIndex(of: ":"),
            let port = Int(parts[2][parts[2].index(after: colon)...])
        else { return false }
        guard let node = runtime.clusterNode(host: String(parts[2][..<colon]), port: port),
            let loopPool = self.loopPool, node < loopPool.servers.count
        else {
            // A node that joined the cluster after the pool started: the refresh adds it to the pool, and the
            // request, asked again here shortly, is then redirected to it.
            runtime.requestClusterRefresh()
            self.retryClusterRequest(request, for: waiting, protocolVersion: protocolVersion)
            return true
        }
        if kind == "MOVED" {
            loopPool.moveSlot(slot, to: node)
            runtime.requestClusterRefresh()
        }
        if let failure = loopPool.servers[node].send(
            request,
            to: waiting.target,
            now: now,
            protocolVersion: protocolVersion,
            redirects: waiting.redirects &+ 1,
            asking: kind == "ASK"
        ) {
            self.deliverToTarget(failure, target: waiting.target)
        }
        return true
    }

    /// Sends `request` to this node again after a backoff that doubles with each redirect or retry (25 ms to
    /// 800 ms); `max_redirects` bounds how often.
    private func retryClusterRequest(_ request: ByteBuffer, for waiting: PendingReply, protocolVersion: Int) {
        let delay = TimeAmount.milliseconds(25 << min(Int64(waiting.redirects), 5))
        let bound = NIOLoopBound(self, eventLoop: self.eventLoop)
        let boundTarget = NIOLoopBound(waiting.target, eventLoop: self.eventLoop)
        let redirects = waiting.redirects &+ 1
        self.eventLoop.scheduleTask(in: delay) {
            let server = bound.value
            let target = boundTarget.value
            let now = NIODeadline.now().uptimeNanoseconds
            if let failure = server.send(
                request,
                to: target,
                now: now,
                protocolVersion: protocolVersion,
                redirects: redirects
            ) {
                server.deliverToTarget(failure, target: target)
            }
            server.flusher.flushAll()
        }
    }

    /// An error reply the proxy makes for a request, delivered where its reply would have gone.
    func deliverToTarget(_ reply: ByteBuffer, target: ReplyTarget) {
        switch target {
        case .client(let session, let sequence):
            session.receive(reply, sequence: sequence)
        case .fragment(let session, let sequence, let part):
            session.receiveFragment(try! RESPToken(validating: reply)!, sequence: sequence, part: part)
        case .handshake, .discard:
            break
        }
    }

    private func protocolVersion(of waiting: PendingReply) -> Int {
        switch waiting.target {
        case .client(let session, _), .fragment(let session, _, _): session.protocolVersion
        case .handshake, .discard: 2
        }
    }
}
