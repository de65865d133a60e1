import Foundation
import Testing

@testable import SluiceServer

@Suite("Basic auth")
struct BasicAuthTests {
    static func basic(_ credentials: String, scheme: String = "Basic") -> String {
        scheme + " " + Data(credentials.utf8).base64EncodedString()
    }

    @Test("the write key is what comes before the first colon, or all of it without one")
    func writeKey() throws {
        #expect(try BasicAuth.writeKey(fromAuthorization: Self.basic("key-1:")) == "key-1")
        #expect(try BasicAuth.writeKey(fromAuthorization: Self.basic("key-1")) == "key-1")
        #expect(try BasicAuth.writeKey(fromAuthorization: Self.basic("key-1:secret:more")) == "key-1")
        #expect(try BasicAuth.writeKey(fromAuthorization: Self.basic("clé-ü:")) == "clé-ü")
    }

    @Test("the scheme is matched in any case, with spaces around the header trimmed")
    func schemeAndSpaces() throws {
        for scheme in ["basic", "BASIC", "bAsIc"] {
            #expect(try BasicAuth.writeKey(fromAuthorization: Self.basic("k:", scheme: scheme)) == "k")
        }
        #expect(try BasicAuth.writeKey(fromAuthorization: "  " + Self.basic("k:") + "   ") == "k")
    }

    @Test("padding is optional")
    func padding() throws {
        #expect(try BasicAuth.writeKey(fromAuthorization: "Basic a2V5Og==") == "key")
        #expect(try BasicAuth.writeKey(fromAuthorization: "Basic a2V5Og") == "key")
        #expect(try BasicAuth.writeKey(fromAuthorization: "Basic a2V5") == "key")
    }

    @Test("no header, another scheme or a bare scheme is not Basic auth")
    func notBasic() throws {
        let headers: [String?] = [
            nil, "", "Bearer abc", "Basic", "Basic ", "  Basic ", "Basicabcd", "Basi\u{0}c a2V5", "Basic\u{0}a2V5",
        ]
        for header in headers {
            #expect(try BasicAuth.writeKey(fromAuthorization: header) == nil, "\(String(describing: header))")
        }
    }

    @Test("credentials that are not base64 of UTF-8 are refused, with how to send them")
    func undecodable() {
        let headers = [
            "Basic %%%", "Basic a2V5Og=x", "Basic a2V5Og===", "Basic  a2V5Og==", "Basic a2V5\u{0}Og==",
            "Basic " + Data([0xFF, 0xFE, 0x3A]).base64EncodedString(),
        ]
        for header in headers {
            let error = #expect(throws: AuthError.self, "\(header)") {
                try BasicAuth.writeKey(fromAuthorization: header)
            }
            #expect(error?.message.contains("send base64 of 'WRITE_KEY:'") == true)
        }
    }

    @Test("an empty write key is refused")
    func emptyKey() {
        for header in [Self.basic(":"), Self.basic(":secret"), "Basic    "] {
            let error = #expect(throws: AuthError.self, "\(header)") {
                try BasicAuth.writeKey(fromAuthorization: header)
            }
            #expect(error?.message.contains("empty write key") == true)
        }
    }
}
