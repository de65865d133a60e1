import SigV4
import Testing

@Suite struct EncodingTests {
    @Test(arguments: [
        ("a b", "a%20b"), ("a+b", "a%2Bb"), ("a/b", "a%2Fb"), ("~._-", "~._-"), ("ሴ", "%E1%88%B4"), ("*", "%2A"),
        ("=&?", "%3D%26%3F"),
    ])
    func encodesEverythingButUnreserved(_ input: String, _ expected: String) {
        #expect(URIEncoding.encode(input) == expected)
        #expect(URIEncoding.decode(expected) == input)
    }

    @Test func keyPathsKeepSlashes() {
        #expect(URIEncoding.encodeKeyPath("p/segment-logs/src/1/a b.gz") == "p/segment-logs/src/1/a%20b.gz")
    }

    /// S3 encodes once: dot segments, double slashes and escapes in keys are significant and kept; the generic
    /// algorithm encodes the wire path a second time.
    @Test func s3PathsAreEncodedOnceAndNotNormalized() {
        let wire = "/bucket/a//./b/%2a%20c"
        #expect(PathCanonicalization.s3.canonicalURI(forWirePath: wire) == "/bucket/a//./b/%2A%20c")
        #expect(
            PathCanonicalization.doubleEncoded(normalize: false).canonicalURI(forWirePath: wire)
                == "/bucket/a//./b/%252a%2520c")
        #expect(
            PathCanonicalization.doubleEncoded(normalize: true).canonicalURI(forWirePath: wire)
                == "/bucket/a/b/%252a%2520c")
    }

    @Test func credentialsNeverPrintTheSecret() {
        let credentials = SigV4Credentials(accessKeyID: "AKID", secretAccessKey: "very-secret", sessionToken: "tok")
        #expect(!"\(credentials)".contains("very-secret"))
        #expect(!"\(credentials)".contains("tok)"))
        #expect("\(credentials)".contains("AKID"))
    }

    @Test func sessionTokenIsSignedForS3() {
        let signer = SigV4Signer(
            credentials: .init(accessKeyID: "AKID", secretAccessKey: "s", sessionToken: "TOKEN"), region: "eu-west-1",
            service: "s3", paths: .s3)
        let signed = signer.signHeaders(
            SigningRequest(method: "HEAD", path: "/b", headers: [.init("Host", "h")]), payload: .empty,
            at: SigV4Timestamp(secondsSince1970: 0))
        #expect(
            signed.stages.canonicalRequest.signedHeaders == "host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
        #expect(signed.addedHeaders.contains { $0.name == "X-Amz-Security-Token" && $0.value == "TOKEN" })
        #expect(SigV4Timestamp(secondsSince1970: 0).amzDate == "19700101T000000Z")
    }
}
