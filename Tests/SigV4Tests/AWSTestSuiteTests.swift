import Foundation
import SigV4
import Testing

/// Every case of AWS's SigV4 test suite, stage by stage, for header signing and for query (presigned) signing.
@Suite(
    .enabled(
        if: AWSTestSuiteCase.isAvailable,
        "AWS SigV4 test suite not found at \(AWSTestSuiteCase.suiteDirectory.path); set SLUICE_SIGV4_SUITE"))
struct AWSTestSuiteTests {
    static let cases = AWSTestSuiteCase.all

    func setUp(_ testCase: AWSTestSuiteCase) throws -> (SigV4Signer, AWSTestSuiteCase.Context, SigningRequest, [UInt8])
    {
        let context = try testCase.context()
        let raw = AWSTestSuiteCase.parse(try testCase.text("request.txt"))
        let credentials = SigV4Credentials(
            accessKeyID: context.credentials.access_key_id,
            secretAccessKey: context.credentials.secret_access_key,
            sessionToken: context.credentials.token)
        let signer = SigV4Signer(
            credentials: credentials, region: context.region, service: context.service,
            paths: .doubleEncoded(normalize: context.normalize))
        return (signer, context, SigningRequest(method: raw.method, target: raw.target, headers: raw.headers), raw.body)
    }

    @Test("suite has cases") func suiteHasCases() {
        #expect(Self.cases.count >= 30)
    }

    @Test("header signing", arguments: cases)
    func headerSigning(_ testCase: AWSTestSuiteCase) throws {
        let (signer, context, request, body) = try setUp(testCase)
        let timestamp = try #require(SigV4Timestamp(parsing: context.timestamp))
        let signed = signer.signHeaders(
            request, payload: .of(body), at: timestamp, contentSHA256Header: context.sign_body,
            signSessionToken: !(context.omit_session_token ?? false))
        #expect(signed.stages.canonicalRequest.text == (try testCase.text("header-canonical-request.txt")))
        #expect(signed.stages.stringToSign.text == (try testCase.text("header-string-to-sign.txt")))
        #expect(signed.stages.signature == (try testCase.text("header-signature.txt")))

        let expected = AWSTestSuiteCase.parse(try testCase.text("header-signed-request.txt"))
        #expect(expected.headers.count == request.headers.count + signed.addedHeaders.count)
        for header in signed.addedHeaders {
            let match = expected.headers.first { $0.name.lowercased() == header.name.lowercased() }
            #expect(match?.value == header.value, "header \(header.name)")
        }
    }

    @Test("query signing", arguments: cases)
    func querySigning(_ testCase: AWSTestSuiteCase) throws {
        let (signer, context, request, body) = try setUp(testCase)
        let timestamp = try #require(SigV4Timestamp(parsing: context.timestamp))
        let presigned = signer.presign(
            request, expires: context.expiration_in_seconds, payload: .of(body), at: timestamp,
            signSessionToken: !(context.omit_session_token ?? false))
        #expect(presigned.stages.canonicalRequest.text == (try testCase.text("query-canonical-request.txt")))
        #expect(presigned.stages.stringToSign.text == (try testCase.text("query-string-to-sign.txt")))
        #expect(presigned.stages.signature == (try testCase.text("query-signature.txt")))

        let expected = AWSTestSuiteCase.parse(try testCase.text("query-signed-request.txt"))
        let expectedQuery = SigningRequest(method: expected.method, target: expected.target).query
        let key = { (item: SigningRequest.QueryItem) in item.name + "=" + item.value }
        #expect(expectedQuery.map(key).sorted() == presigned.query.map(key).sorted())
    }
}
