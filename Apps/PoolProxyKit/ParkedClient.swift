/// What a parked client's session keeps while the client has no channel: everything a multiplexed client's
/// requests depend on (see `ClientSession+Parking.swift`).
///
/// ```swift
/// let parked = ParkedClient(isAuthenticated: true, protocolVersion: 3, authenticationFailures: 0)
/// ```
struct ParkedClient: Sendable {
    var isAuthenticated: Bool
    var protocolVersion: UInt8
    var authenticationFailures: UInt32
}
