/// One record of the spool, as `replay` hands it out.
public struct SpoolRecord: Sendable, Hashable {
    /// The sequence number `append` returned for it; strictly increasing in file order.
    public var sequence: UInt64
    /// The caller's record kind (the pipeline uses `1` = events, `2` = seal).
    public var kind: UInt8
    /// The caller's bytes, unchanged.
    public var payload: [UInt8]

    /// Creates a record.
    public init(sequence: UInt64, kind: UInt8, payload: [UInt8]) {
        self.sequence = sequence
        self.kind = kind
        self.payload = payload
    }
}
