import Foundation
import Testing

@testable import Catalog

/// Console users on every catalog implementation (migration step 6), the password hash format with RFC 7914's
/// PBKDF2-HMAC-SHA256 known answers, and the deliveries-since query the console's charts read.
@Suite struct ConsoleUsersContractTests {
    @Test(arguments: CatalogImplementation.allCases)
    func usersAreAddedListedAndRemoved(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, reopen in
            let hash = try ConsolePassword.hash("a long password here", rounds: 100_000)
            try await catalog.addConsoleUser(ConsoleUser(name: "ada@example", passwordHash: hash, createdAtMilliseconds: 7))
            try await catalog.addConsoleUser(ConsoleUser(name: "bob", passwordHash: hash, createdAtMilliseconds: 8))
            for (name, code) in [("bob", CatalogError.Code.duplicate), ("../x", .invalidName), ("", .invalidName)] {
                do throws(CatalogError) {
                    try await catalog.addConsoleUser(ConsoleUser(name: name, passwordHash: hash, createdAtMilliseconds: 9))
                    Issue.record("\(name) accepted")
                } catch {
                    #expect(error.code == code, "\(name)")
                }
            }
            let again = try await reopen()
            #expect(try await again.consoleUsers().map(\.name) == ["ada@example", "bob"])
            let ada = try #require(try await again.consoleUser(name: "ada@example"))
            #expect(ada.createdAtMilliseconds == 7 && ConsolePassword.verify("a long password here", against: ada.passwordHash))
            try await again.removeConsoleUser(name: "bob")
            #expect(try await again.consoleUser(name: "bob") == nil)
            do throws(CatalogError) {
                try await again.removeConsoleUser(name: "bob")
                Issue.record("removed twice")
            } catch {
                #expect(error.code == .notFound)
            }
            await again.close()
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func deliveriesSinceAreNewestFirstAndBounded(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, _ in
            let source = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 1)
            let destination = Destination(
                id: Identifiers.newDestinationID(), sourceID: source.id, bucket: "b-b-b", createdAtMilliseconds: 1)
            try await catalog.createDestination(destination)
            for n in 1...4 {
                try await catalog.recordDelivery(
                    DeliveryRecord(
                        destinationID: destination.id, stagedKey: "k\(n)", size: Int64(n), eTag: nil,
                        deliveredAtMilliseconds: Int64(n * 1_000)))
            }
            let recent = try await catalog.deliveries(sinceMilliseconds: 2_000, limit: 10)
            #expect(recent.map(\.stagedKey) == ["k4", "k3", "k2"])
            #expect(recent.first?.size == 4 && recent.first?.destinationID == destination.id)
            #expect(try await catalog.deliveries(sinceMilliseconds: 0, limit: 2).map(\.stagedKey) == ["k4", "k3"])
        }
    }
}

@Suite struct ConsolePasswordTests {
    /// RFC 7914 section 11's PBKDF2-HMAC-SHA256 vectors.
    @Test(arguments: [
        (
            "passwd", "salt", 1,
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        ),
        (
            "Password", "NaCl", 80_000,
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"
        ),
    ])
    func knownAnswers(password: String, salt: String, rounds: Int, hex: String) throws {
        let derived = try ConsolePassword.derive(Array(password.utf8), salt: Array(salt.utf8), rounds: rounds, bytes: 64)
        #expect(derived.map { String(format: "%02x", $0) }.joined() == hex)
    }

    @Test func hashesAreSaltedAndVerifyOnlyTheirPassword() throws {
        let one = try ConsolePassword.hash("correct horse battery")
        let two = try ConsolePassword.hash("correct horse battery")
        #expect(one != two && one.hasPrefix("pbkdf2-sha256$600000$"))
        #expect(ConsolePassword.verify("correct horse battery", against: one))
        #expect(!ConsolePassword.verify("correct horse batterY", against: one))
        #expect(!ConsolePassword.verify("", against: ConsolePassword.unmatchable))
        // Unreadable or tampered stored values never match (and never run a huge round count).
        for stored in ["", "plain", "pbkdf2-sha256$1$AA==$AA==", "pbkdf2-sha256$999999999$AA==$AA==", "md5$600000$AA==$AA=="] {
            #expect(!ConsolePassword.verify("correct horse battery", against: stored), "\(stored)")
        }
        #expect(throws: CatalogError.self) { try ConsolePassword.hash("short") }
    }
}
