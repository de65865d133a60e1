import SluiceTesting
import Storage
import Testing

/// The archive store implementations the contract suite runs against, each fresh and empty.
enum ArchiveStoreImplementation: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case local

    var testDescription: String { rawValue }

    /// Runs `body` with an empty store and a scratch directory for source and downloaded files.
    func with(_ body: (any ArchiveStore, _ scratch: String) async throws -> Void) async throws {
        let dir = try TemporaryDirectory("archive-contract")
        defer { dir.remove() }
        try Files.makeDirectories(dir.path + "/scratch")
        switch self {
        case .local:
            try await body(LocalArchiveStore(root: dir.path + "/bucket"), dir.path + "/scratch")
        }
    }
}
