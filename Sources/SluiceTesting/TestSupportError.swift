/// A failure of the test support itself (a server that did not start, a tool that is missing).
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
