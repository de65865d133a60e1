import SigV4
import Testing

/// Known answers from the worked examples in AWS's documentation: the S3 API reference's SigV4 header and
/// presigned-URL examples (bucket `examplebucket`, 2013-05-24) and the general reference's signing-key example.
@Suite struct S3DocumentationExampleTests {
    static let credentials = SigV4Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3", paths: .s3)
    static let may24 = SigV4Timestamp(secondsSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
    static let host = SigningRequest.Header("Host", "examplebucket.s3.amazonaws.com")

    @Test func timestampFormatsAsAmzDate() {
        #expect(Self.may24.amzDate == "20130524T000000Z")
        #expect(Self.may24.dateStamp == "20130524")
        #expect(SigV4Timestamp(parsing: "2013-05-24T00:00:00Z") == Self.may24)
        #expect(SigV4Timestamp(parsing: "20150830T123600Z")?.amzDate == "20150830T123600Z")
    }

    @Test func signingKeyFromGeneralReference() {
        let scope = CredentialScope(
            timestamp: SigV4Timestamp(parsing: "20120215T000000Z")!, region: "us-east-1", service: "iam")
        let key = SigningKey(secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", scope: scope)
        #expect(key.hex == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test func getObjectWithRange() {
        let request = SigningRequest(
            method: "GET", path: "/test.txt", headers: [Self.host, .init("Range", "bytes=0-9")])
        let signed = Self.signer.signHeaders(request, payload: .empty, at: Self.may24)
        #expect(
            signed.stages.canonicalRequest.text == """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """)
        #expect(
            signed.stages.stringToSign.text == """
                AWS4-HMAC-SHA256
                20130524T000000Z
                20130524/us-east-1/s3/aws4_request
                7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
                """)
        #expect(signed.stages.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// The key `test$file.text` shows S3's single encoding: `$` becomes `%24` once, not `%2524`.
    @Test func putObjectSignsTheBodyAndEncodesTheKeyOnce() {
        let body = Array("Welcome to Amazon S3.".utf8)
        let request = SigningRequest(
            method: "PUT", path: "/" + URIEncoding.encodeKeyPath("test$file.text"),
            headers: [
                Self.host, .init("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                .init("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ])
        let signed = Self.signer.signHeaders(request, payload: .of(body), at: Self.may24)
        #expect(request.path == "/test%24file.text")
        #expect(signed.stages.canonicalRequest.canonicalURI == "/test%24file.text")
        #expect(
            signed.stages.canonicalRequest.payloadHash
                == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        #expect(signed.stages.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func getBucketLifecycleHasAnEmptyQueryValue() {
        let request = SigningRequest(method: "GET", target: "/?lifecycle", headers: [Self.host])
        let signed = Self.signer.signHeaders(request, payload: .empty, at: Self.may24)
        #expect(signed.stages.canonicalRequest.canonicalQuery == "lifecycle=")
        #expect(signed.stages.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func listObjectsSortsTheQuery() {
        let request = SigningRequest(method: "GET", target: "/?max-keys=2&prefix=J", headers: [Self.host])
        let signed = Self.signer.signHeaders(request, payload: .empty, at: Self.may24)
        #expect(signed.stages.canonicalRequest.canonicalQuery == "max-keys=2&prefix=J")
        #expect(signed.stages.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
        #expect(
            signed.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                + "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func presignedGetObject() {
        let request = SigningRequest(method: "GET", path: "/test.txt", headers: [Self.host])
        let presigned = Self.signer.presign(request, expires: 86_400, payload: .unsigned, at: Self.may24)
        #expect(presigned.stages.canonicalRequest.payloadHash == "UNSIGNED-PAYLOAD")
        #expect(presigned.stages.signature == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        #expect(
            presigned.encoded.hasPrefix("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F"))
        #expect(presigned.query.last?.name == "X-Amz-Signature")
    }
}
