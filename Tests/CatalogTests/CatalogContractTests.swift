import Catalog
import Testing

/// What every catalog implementation must do, whichever the root picks: the same calls, the same answers.
@Suite struct CatalogContractTests {
    @Test(arguments: CatalogImplementation.allCases)
    func sourcesAreFoundByKeyIdAndNameAndSurviveReopen(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, reopen in
            let web = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 1)
            let api = try await catalog.createSource(name: "api", writeKey: "my-chosen-key-123", nowMilliseconds: 2)
            #expect(web.id.count == 22 && web.writeKey.count == 32)
            let again = try await reopen()
            #expect(try await again.sources() == [web, api])
            #expect(try await again.source(writeKey: "my-chosen-key-123") == api)
            #expect(try await again.source(writeKey: "unknown-key-000") == nil)
            #expect(try await again.source(idOrName: "web") == web)
            #expect(try await again.source(idOrName: api.id) == api)
            await again.close()
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func duplicateNamesAndKeysAreRefused(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, _ in
            let web = try await catalog.createSource(name: "web", writeKey: "key-aaaaaaaa", nowMilliseconds: 0)
            for (name, key) in [("web", nil), ("other", "key-aaaaaaaa")] as [(String, String?)] {
                do throws(CatalogError) {
                    _ = try await catalog.createSource(name: name, writeKey: key, nowMilliseconds: 0)
                    Issue.record("duplicate \(name) accepted")
                } catch {
                    #expect(error.code == .duplicate)
                }
            }
            // A refused source leaves nothing behind: no half-created source, no orphan key.
            #expect(try await catalog.sources() == [web])
            #expect(try await catalog.source(idOrName: "other") == nil)
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func aSourceHoldsSeveralWriteKeysAndRevokedOnesStopAuthenticating(_ implementation: CatalogImplementation)
        async throws
    {
        try await implementation.with { catalog, reopen in
            let web = try await catalog.createSource(name: "web", writeKey: "first-key-0001", nowMilliseconds: 10)
            let second = try await catalog.addWriteKey(sourceID: web.id, key: nil, nowMilliseconds: 20)
            #expect(second.key.count == 32 && second.isActive)
            #expect(try await catalog.source(writeKey: "first-key-0001")?.id == web.id)
            #expect(try await catalog.source(writeKey: second.key)?.id == web.id)

            try await catalog.revokeWriteKey("first-key-0001", nowMilliseconds: 30)
            #expect(try await catalog.source(writeKey: "first-key-0001") == nil)
            #expect(try await catalog.source(writeKey: second.key)?.writeKey == second.key)

            let again = try await reopen()
            let keys = try await again.writeKeys(sourceID: web.id)
            #expect(keys.map(\.key) == ["first-key-0001", second.key])
            #expect(keys.map(\.revokedAtMilliseconds) == [30, nil])
            await again.close()
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func writeKeyMistakesAreClearErrors(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, _ in
            let web = try await catalog.createSource(name: "web", writeKey: "taken-key-0001", nowMilliseconds: 0)
            let cases: [(CatalogError.Code, @Sendable () async throws(CatalogError) -> Void)] = [
                (
                    .notFound,
                    { () throws(CatalogError) in
                        _ = try await catalog.addWriteKey(sourceID: "nope", key: nil, nowMilliseconds: 0)
                    }
                ),
                (
                    .duplicate,
                    { () throws(CatalogError) in
                        _ = try await catalog.addWriteKey(sourceID: web.id, key: "taken-key-0001", nowMilliseconds: 0)
                    }
                ),
                (
                    .invalidWriteKey,
                    { () throws(CatalogError) in
                        _ = try await catalog.addWriteKey(sourceID: web.id, key: "a:b", nowMilliseconds: 0)
                    }
                ),
                (
                    .notFound,
                    { () throws(CatalogError) in try await catalog.revokeWriteKey("never-issued-01", nowMilliseconds: 0)
                    }
                ),
            ]
            for (code, call) in cases {
                do throws(CatalogError) {
                    try await call()
                    Issue.record("expected \(code)")
                } catch {
                    #expect(error.code == code)
                }
            }
            #expect(try await catalog.writeKeys(sourceID: web.id).count == 1)
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func quarantineKeepsRawBytesNewestFirst(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, _ in
            let source = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 0)
            let raw: [UInt8] = Array(#"{"type":"track"}"#.utf8) + [0xFF, 0x00]
            try await catalog.quarantine([
                QuarantinedEvent(
                    sourceID: source.id, receivedAtMilliseconds: 10, index: 3, code: "missing_event", message: "m1",
                    raw: raw),
                QuarantinedEvent(
                    sourceID: source.id, receivedAtMilliseconds: 10, index: 7, code: "invalid_type", message: "m2",
                    raw: []),
            ])
            let listed = try await catalog.quarantined(sourceID: source.id, limit: 10)
            #expect(listed.map(\.index) == [7, 3])
            #expect(listed[1].raw == raw)
            #expect(try await catalog.quarantined(sourceID: source.id, limit: 1).count == 1)
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func destinationsLedgerAndRunStateRoundTrip(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, reopen in
            let source = try await catalog.createSource(name: "web", writeKey: nil, nowMilliseconds: 0)
            let destination = Destination(
                id: "d1", sourceID: source.id, bucket: "bucket-one/pre", encryption: .kms(keyID: "k"),
                access: .staticKeys(accessKeyID: "AKIA", secretAccessKey: "s3cr3t"), endpoint: "http://127.0.0.1:1",
                region: "eu-west-1", createdAtMilliseconds: 5)
            try await catalog.createDestination(destination)
            await #expect(throws: CatalogError.self) { try await catalog.createDestination(destination) }

            let record = DeliveryRecord(
                destinationID: "d1", stagedKey: "segment-logs/s/1/f.gz", size: 9, eTag: "e", deliveredAtMilliseconds: 6)
            try await catalog.recordDelivery(record)
            try await catalog.recordDelivery(record)  // idempotent: a redone copy records the same row again
            try await catalog.recordRun(destinationID: "d1", atMilliseconds: 7, error: "denied")
            try await catalog.recordRun(destinationID: "d1", atMilliseconds: 8, error: "denied")
            try await catalog.setLastScheduledRun(99)

            let again = try await reopen()
            #expect(try await again.destination(id: "d1") == destination)
            #expect(try await again.deliveredKeys(destinationID: "d1") == ["segment-logs/s/1/f.gz"])
            let state = try #require(try await again.destinationState(id: "d1"))
            #expect(
                state.consecutiveFailures == 2 && state.lastError == "denied" && state.lastSuccessMilliseconds == nil)
            #expect(try await again.lastScheduledRun() == 99)
            try await again.forgetDeliveries(stagedKeys: ["segment-logs/s/1/f.gz"])
            #expect(try await again.deliveredKeys(destinationID: "d1").isEmpty)
            try await again.removeDestination(id: "d1")
            #expect(try await again.destinations().isEmpty)
            await #expect(throws: CatalogError.self) { try await again.removeDestination(id: "d1") }
            await again.close()
        }
    }
}

/// The node registry, on every catalog implementation.
@Suite struct NodeRegistryContractTests {
    func node(_ id: String, _ instance: String, at time: Int64) -> NodeRecord {
        NodeRecord(
            id: id, instance: instance, address: "127.0.0.1:1", version: "test", startedAtMilliseconds: time,
            heartbeatAtMilliseconds: time)
    }

    @Test(arguments: CatalogImplementation.allCases)
    func aLiveNodeIdIsRefusedToAnotherInstanceUntilItGoesStale(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, _ in
            try await catalog.registerNode(node("a", "aaaaaaaaaaaa", at: 1_000), liveSinceMilliseconds: 0)
            // Another machine claiming "a" while a's last heartbeat is recent.
            do throws(CatalogError) {
                try await catalog.registerNode(node("a", "bbbbbbbbbbbb", at: 5_000), liveSinceMilliseconds: 500)
                Issue.record("a live node id was taken")
            } catch {
                #expect(error.code == .duplicateNode && error.message.contains("'a'"))
            }
            // The same installation restarting (after a crash) takes its name back at once.
            try await catalog.registerNode(node("a", "aaaaaaaaaaaa", at: 6_000), liveSinceMilliseconds: 5_500)
            // Once a's heartbeat is older than the liveness window, another instance may take the name.
            try await catalog.registerNode(node("a", "bbbbbbbbbbbb", at: 30_000), liveSinceMilliseconds: 20_000)
            #expect(try await catalog.nodes().map(\.instance) == ["bbbbbbbbbbbb"])
            // The old instance's heartbeats no longer touch the entry.
            #expect(try await !catalog.heartbeat(node("a", "aaaaaaaaaaaa", at: 31_000)))
        }
    }

    @Test(arguments: CatalogImplementation.allCases)
    func heartbeatsUpdateFiguresAndACleanStopLeaves(_ implementation: CatalogImplementation) async throws {
        try await implementation.with { catalog, reopen in
            try await catalog.registerNode(node("b", "bbbbbbbbbbbb", at: 1), liveSinceMilliseconds: 0)
            try await catalog.registerNode(node("a", "aaaaaaaaaaaa", at: 1), liveSinceMilliseconds: 0)
            var beat = node("b", "bbbbbbbbbbbb", at: 1)
            beat.heartbeatAtMilliseconds = 9
            beat.openBatches = 3
            beat.spoolBacklogBytes = 4096
            #expect(try await catalog.heartbeat(beat))
            let again = try await reopen()
            let listed = try await again.nodes()
            #expect(listed.map(\.id) == ["a", "b"])
            #expect(listed[1].heartbeatAtMilliseconds == 9 && listed[1].openBatches == 3)
            #expect(listed[1].spoolBacklogBytes == 4096 && listed[1].startedAtMilliseconds == 1)
            try await again.deregisterNode(id: "b", instance: "bbbbbbbbbbbb")
            #expect(try await again.nodes().map(\.id) == ["a"])
            await again.close()
        }
    }
}
