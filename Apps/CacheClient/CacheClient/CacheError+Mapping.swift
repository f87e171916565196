import CircuitBreaker
import PoolCore
import SocketIO

extension CacheError {
    /// Maps what the pool, the breaker and the socket layer throw onto the three failure kinds callers act on.
    static func mapping(_ error: any Error, node: String) -> CacheError {
        switch error {
        case let error as CacheError:
            return error
        case let error as CallNotPermittedError:
            return .unavailable(node: node, reason: "circuit breaker \(error.state)")
        case let error as ConnectionPoolError:
            switch error {
            case .acquireTimeout: return .timeout(node: node, reason: "no pooled connection within the pool timeout")
            case .waitQueueFull: return .unavailable(node: node, reason: "too many requests waiting for a connection")
            case .poolShutdown: return .unavailable(node: node, reason: "the client is shut down")
            case .dialFailed(let underlying): return .mapping(underlying, node: node)
            }
        case let error as SocketIOError:
            switch error.code {
            case .requestTimeout, .connectTimeout: return .timeout(node: node, reason: error.message)
            case .protocolError: return .protocolError(node: node, reason: error.message)
            default: return .unavailable(node: node, reason: "\(error.code): \(error.message)")
            }
        default:
            return .unavailable(node: node, reason: "\(error)")
        }
    }

    /// A connection that broke under the request (for example a stale pooled connection after the server
    /// restarted): worth another try on another connection.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? SocketIOError else { return false }
        return error.code == .closedByPeer || error.code == .connectionClosed
    }

    /// Whether the error says the node is unhealthy (counted by the breaker and the outlier detection), rather
    /// than something about one request or value.
    var isNodeFailure: Bool {
        switch self {
        case .unavailable, .timeout, .protocolError: true
        case .server, .codec: false
        }
    }
}
