/// Why a backend connection ended or could not be used; the text goes into the `-ERR` replies, so it says
/// which backend and why.
enum BackendFailure: Sendable, Hashable {
    case closedByServer
    case timedOut(milliseconds: Int64)
    case protocolError(String)
    case handshakeRejected(command: String, reply: String)
    case ioError(String)
    case unexpectedReply
    case closedByProxy

    var reason: String {
        switch self {
        case .closedByServer: "connection closed by the server"
        case .timedOut(let milliseconds): "no reply within the \(milliseconds) ms timeout"
        case .protocolError(let message): "invalid reply (\(message))"
        case .handshakeRejected(let command, let reply): "\(command) was refused: \(reply)"
        case .ioError(let message): message
        case .unexpectedReply: "a reply arrived that no request was waiting for"
        case .closedByProxy: "connection closed by the proxy"
        }
    }
}
