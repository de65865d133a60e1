import ArchiveFormat
import Catalog
import Deflate
import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import Storage

/// The archive browser: `GET /console/api/archive/{source}` (received days with file counts and bytes, from the
/// staged-file ledger), `GET /console/api/archive/{source}/{day}` (that day's staged files),
/// `GET /console/api/archive/preview?key=K` (event count and the first lines, decompressed) and
/// `GET /console/archive/download?key=K` (the stored `.gz`). A key must parse as a staging key (`ObjectKey.parse`,
/// no prefix) and be in the ledger, so no parameter reaches anything but a staged file.
extension ConsoleAPI {
    /// Files larger than this are not read for a preview or a download through the console.
    static let archiveReadLimit = 64 * 1024 * 1024
    /// The most decompressed bytes a preview inflates (a gzip bomb stops there).
    static let previewInflateLimit = 256 * 1024 * 1024

    struct ArchiveDay: Encodable { let day: Int64; let files: Int; let bytes: Int64 }
    struct ArchiveFile: Encodable {
        let key, name, writer: String
        let size, stagedAt: Int64
    }

    func registerArchive(on group: RouterGroup<SluiceRequestContext>) {
        guard let delivery = destinations else { return }
        group.get("api/archive/preview") { request, _ in
            try await archiveAnswer {
                let file = try await stagedFile(request.uri.queryParameters.get("key"), in: delivery)
                let bytes = try await read(file, from: delivery.staging)
                do {
                    let lines = try Gzip.decompress(bytes, maxOutputBytes: Self.previewInflateLimit)
                    return try Self.json(ArchivePreview(ndjson: lines))
                } catch {
                    throw ConsoleError(.unprocessableContent, "unreadable_file", "the staged file does not inflate: \(error)")
                }
            }
        }
        group.get("archive/download") { request, _ in
            try await archiveAnswer {
                let file = try await stagedFile(request.uri.queryParameters.get("key"), in: delivery)
                let bytes = try await read(file, from: delivery.staging)
                let name = String(file.key.split(separator: "/").last ?? "batch.gz")
                return Self.noStore(
                    Response(
                        status: .ok,
                        headers: [
                            .contentType: "application/gzip", .xContentTypeOptions: "nosniff",
                            .contentDisposition: "attachment; filename=\"\(name)\"",
                        ], body: .init(byteBuffer: ByteBuffer(bytes: bytes))))
            }
        }
        group.get("api/archive/:source") { _, context in
            try await archiveAnswer {
                let source = try await existingSource(context.parameters.get("source") ?? "")
                var days: [Int64: (files: Int, bytes: Int64)] = [:]
                for file in try await delivery.catalog.stagedFiles(sourceID: source.id) {
                    days[file.receivedDayMilliseconds, default: (0, 0)].files += 1
                    days[file.receivedDayMilliseconds, default: (0, 0)].bytes += file.size
                }
                return try Self.json(
                    days.sorted { $0.key > $1.key }.map { ArchiveDay(day: $0.key, files: $0.value.files, bytes: $0.value.bytes) })
            }
        }
        group.get("api/archive/:source/:day") { _, context in
            try await archiveAnswer {
                let source = try await existingSource(context.parameters.get("source") ?? "")
                guard let day = ReceivedDay(folderName: context.parameters.get("day") ?? "") else {
                    throw ConsoleError(.badRequest, "invalid_day", "the day is a received-day folder: epoch milliseconds of a UTC midnight")
                }
                let files = try await delivery.catalog.stagedFiles(sourceID: source.id).filter {
                    $0.receivedDayMilliseconds == day.epochMilliseconds
                }
                return try Self.json(
                    files.map {
                        ArchiveFile(
                            key: $0.key, name: String($0.key.split(separator: "/").last ?? ""), writer: $0.writer,
                            size: $0.size, stagedAt: $0.stagedAtMilliseconds)
                    })
            }
        }
    }

    /// The ledger row of a staged key, after checking its shape; errors say what is wrong with it.
    func stagedFile(_ key: String?, in delivery: ConsoleDelivery) async throws -> StagedFile {
        guard let key, let parsed = ObjectKey.parse(key), parsed.prefix.isEmpty, parsed.description == key else {
            throw ConsoleError(
                .badRequest, "invalid_key", "give key=segment-logs/{source}/{day}/{file}.gz, as the archive lists it")
        }
        guard let file = try await delivery.catalog.stagedFiles(sourceID: parsed.sourceID.description).first(where: { $0.key == key })
        else { throw ConsoleError(.notFound, "not_found", "no staged file with that key (retention may have removed it)") }
        return file
    }

    /// The stored bytes of a staged file, read off the cooperative pool.
    func read(_ file: StagedFile, from staging: any ArchiveStore) async throws -> [UInt8] {
        guard file.size <= Self.archiveReadLimit else {
            throw ConsoleError(
                .unprocessableContent, "file_too_large",
                "the file is \(file.size) bytes; the console reads files up to \(Self.archiveReadLimit) bytes (use the staging store directly)")
        }
        let local = try await staging.localFile(key: file.key)
        let path = local.path
        do {
            let bytes = try await NIOThreadPool.singleton.runIfActive {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ConsoleError(.notFound, "not_found", "the staged file is gone from the staging store")
                }
                return [UInt8](data)
            }
            await staging.release(local)
            return bytes
        } catch {
            await staging.release(local)
            throw error
        }
    }

    /// Runs `body`, answering console and catalog errors as `{"code","message"}`.
    func archiveAnswer(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await catalogAnswer(body)
        } catch let error as ConsoleError {
            return JSONBody.errorResponse(error.status, code: error.code, message: error.message)
        } catch let error as ArchiveStoreError {
            return JSONBody.errorResponse(.badGateway, code: "staging_unavailable", message: "\(error)")
        }
    }
}

/// A console route's refusal: the HTTP status and the `{"code","message"}` it answers with.
struct ConsoleError: Error {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}
