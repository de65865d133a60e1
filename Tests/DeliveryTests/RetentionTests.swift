import Catalog
import Delivery
import Testing

@Suite struct RetentionTests {
    let staged = [
        StagedObject(key: Self.key("srcA", 1_700_006_400_000, 1_700_000_000_001, 1), size: 10),
        StagedObject(key: Self.key("srcA", 1_700_092_800_000, 1_700_090_000_000, 2), size: 20),
        StagedObject(key: Self.key("srcB", 1_700_006_400_000, 1_700_000_000_002, 3), size: 30),
        StagedObject(key: "segment-logs/srcA/1700006400000/.partial", size: 5),
        StagedObject(key: "elsewhere/file.gz", size: 5),
        // Not a batch file name (ObjectKey.parse refuses it): never planned, never expired.
        StagedObject(key: "segment-logs/srcA/1700006400000/1700000000003.n.b.u.gz", size: 5),
    ]

    /// A staged batch key with a valid file name (`{ms}.{node}.{build}.{uuid}.gz`).
    static func key(_ source: String, _ day: Int64, _ created: Int64, _ n: Int) -> String {
        "segment-logs/\(source)/\(day)/\(created).aabbccddeeff.dev.0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f\(n).gz"
    }

    func destination(_ id: String, source: String, bucket: String, enabled: Bool = true) -> Destination {
        Destination(id: id, sourceID: source, bucket: bucket, enabled: enabled, createdAtMilliseconds: 0)
    }

    @Test func retentionKeepsWhatAnEnabledDestinationLacks() {
        let destinations = [
            destination("d1", source: "srcA", bucket: "bucket-one"),
            destination("d2", source: "srcA", bucket: "bucket-two", enabled: false),
        ]
        let retention = Retention.days(1)
        let now: Int64 = 1_700_000_000_001 + 86_400_000
        // Nothing delivered: nothing of srcA may go, however old (srcB has no enabled destination).
        #expect(
            retention.expired(staged: staged, destinations: destinations, delivered: [:], now: now * 2) == [
                staged[2].key
            ])
        // Delivered to the enabled destination (the disabled one does not hold it back), and old enough.
        let delivered = ["d1": Set(staged.map(\.key))]
        #expect(
            retention.expired(staged: staged, destinations: destinations, delivered: delivered, now: now) == [
                staged[0].key
            ])
        // srcB has no enabled destination: its old file goes too.
        #expect(
            retention.expired(staged: staged, destinations: destinations, delivered: delivered, now: now + 1)
                == [staged[0].key, staged[2].key])
        #expect(Retention.days(nil).expired(staged: staged, destinations: [], delivered: [:], now: .max).isEmpty)
    }
}
