import ArchiveFormat
import Storage

/// The staging store as the copy job reads it: batch files only, errors in the copy job's terms.
extension ArchiveStore {
    /// Every staged batch file (keys `segment-logs/{source}/{day}/{file}.gz` that `ObjectKey.parse` accepts).
    public func stagedObjects() async throws(DeliveryError) -> [StagedObject] {
        do throws(ArchiveStoreError) {
            return try await list(prefix: ObjectKey.logsFolder + "/").map { StagedObject(key: $0.key, size: $0.size) }
                .filter { $0.objectKey != nil }
        } catch {
            throw Self.stagingError(error)
        }
    }

    /// Runs `body` with a local file holding the staged object's bytes, released afterwards.
    public func withStagedFile<Result: Sendable>(
        key: String, _ body: (String) async throws(DeliveryError) -> Result
    ) async throws(DeliveryError) -> Result {
        try Self.requireStagedKey(key)
        let file: LocalObjectFile
        do throws(ArchiveStoreError) {
            file = try await localFile(key: key)
        } catch {
            throw Self.stagingError(error)
        }
        do throws(DeliveryError) {
            let result = try await body(file.path)
            await release(file)
            return result
        } catch {
            await release(file)
            throw error
        }
    }

    /// Deletes a staged batch file (retention).
    public func deleteStaged(key: String) async throws(DeliveryError) {
        try Self.requireStagedKey(key)
        do throws(ArchiveStoreError) {
            try await delete(key: key)
        } catch {
            throw Self.stagingError(error)
        }
    }

    static func requireStagedKey(_ key: String) throws(DeliveryError) {
        guard StagedObject(key: key, size: 0).objectKey != nil else {
            throw DeliveryError(.staging, "'\(key.prefix(200))' is not a staged batch key")
        }
    }

    static func stagingError(_ error: ArchiveStoreError) -> DeliveryError {
        DeliveryError(.staging, "staging store: \(error.message)", underlying: error)
    }
}
