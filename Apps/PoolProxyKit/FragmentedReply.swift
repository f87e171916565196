import RESPCodec

/// The parts of a request split across servers, gathered until the last one arrives.
final class FragmentedReply {
    let kind: ReplyMergeKind
    var parts: [RESPToken?]
    var remaining: Int

    init(kind: ReplyMergeKind, partCount: Int) {
        self.kind = kind
        self.parts = Array(repeating: nil, count: partCount)
        self.remaining = partCount
    }
}
