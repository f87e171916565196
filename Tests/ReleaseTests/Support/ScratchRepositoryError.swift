/// A git command of a ``ScratchRepository`` failed; the description is its transcript.
///
/// ```swift
/// throw ScratchRepositoryError(description: result.transcript)
/// ```
struct ScratchRepositoryError: Error, CustomStringConvertible {
    var description: String
}
