import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// ECS/EKS Pod Identity container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on 169.254.170.2) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)` as Authorization.
public struct ContainerCredentialsProvider: CredentialsProvider {
    let environment: [String: String]
    let httpClient: HTTPClient

    public init(environment: [String: String], httpClient: HTTPClient) {
        self.environment = environment
        self.httpClient = httpClient
    }

    public var name: String { "container" }

    var url: String? {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"].nonEmpty {
            return "http://169.254.170.2" + relative
        }
        return environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"].nonEmpty
    }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        guard let url else {
            throw S3Error.credentialsNotFound("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI are not set.")
        }
        var request = HTTPClientRequest(url: url)
        if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"].nonEmpty {
            let token = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines)
            request.headers.add(name: "Authorization", value: token)
        } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"].nonEmpty {
            request.headers.add(name: "Authorization", value: token)
        }
        let body = try await MetadataHTTP.get(
            request, httpClient: httpClient, source: "container endpoint", logger: logger)
        return try MetadataHTTP.decodeCredentials(body, source: "container endpoint")
    }
}

/// Shared plumbing of the container and instance-metadata providers.
enum MetadataHTTP {
    static func get(_ request: HTTPClientRequest, httpClient: HTTPClient, source: String, logger: Logger)
        async throws -> [UInt8]
    {
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(5), logger: logger)
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else {
                throw S3Error(
                    code: .credentialsNotFound, httpStatus: Int(response.status.code),
                    message: "The \(source) answered HTTP \(response.status.code).", operation: "LoadCredentials")
            }
            return Array(buffer: body)
        } catch let error as S3Error {
            throw error
        } catch {
            throw S3Error(
                code: .credentialsNotFound, message: "The \(source) is not reachable (\(error)).",
                operation: "LoadCredentials", underlying: error)
        }
    }

    struct CredentialsDocument: Decodable {
        let AccessKeyId: String
        let SecretAccessKey: String
        let Token: String?
        let Expiration: String?
    }

    static func decodeCredentials(_ body: [UInt8], source: String) throws -> AWSCredentials {
        guard let document = try? JSONDecoder().decode(CredentialsDocument.self, from: Data(body)) else {
            throw S3Error(
                code: .invalidResponse, message: "The \(source) sent a credentials document that is not valid JSON.",
                operation: "LoadCredentials")
        }
        return AWSCredentials(
            accessKeyID: document.AccessKeyId, secretAccessKey: document.SecretAccessKey,
            sessionToken: document.Token, expiration: document.Expiration.flatMap(HTTPDate.parseISO8601))
    }
}
