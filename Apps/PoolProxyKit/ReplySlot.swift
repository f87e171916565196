import NIOCore

/// A client's reply position: replies are written in request order, whichever backend answers first.
enum ReplySlot {
    case waiting
    case ready(ByteBuffer)
    case merging(FragmentedReply)
}
