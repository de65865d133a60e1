import Deflate
import Foundation
import SluiceTesting
import Testing

@testable import Pipeline

/// The writer lane splits many members over parallel jobs by batch: every batch file must still get its members
/// whole and in order.
@Suite struct LaneTests {
    private static func member(_ uuid: String, _ byte: UInt8) -> (BatchHandle, [UInt8]) {
        (BatchHandle(key: BatchKey(sourceID: "s", day: 0), uuid: uuid), [byte])
    }

    @Test func partitionKeepsEachBatchInOneGroupInOrder() {
        let members = (0..<200).map { Self.member("batch-\($0 % 37)", UInt8($0 % 256)) }
        let groups = Batcher.partition(members, into: 2)
        #expect(groups.count == 2)
        #expect(groups.flatMap { $0 }.sorted() == Array(members.indices))
        for group in groups {
            #expect(group == group.sorted())
        }
        var groupOfBatch: [String: Int] = [:]
        for (number, group) in groups.enumerated() {
            for index in group {
                let uuid = members[index].0.uuid
                #expect(groupOfBatch[uuid, default: number] == number, "\(uuid) is split over groups")
                groupOfBatch[uuid] = number
            }
        }
        #expect(Batcher.partition(members, into: 1) == [Array(members.indices)])
    }

    /// 200 sources under a pending budget of 8 KB: each rebalance hands the lane one job of dozens of one-record
    /// members from different batches (split over parallel jobs), and each batch gets about ten members.
    @Test func manySmallMembersLandWholeAndInOrderInEveryBatch() async throws {
        let dir = try TemporaryDirectory("lane")
        defer { dir.remove() }
        var policy = BatchingPolicy()
        policy.pendingBudgetBytes = 8_000
        let harness = try PipelineHarness(directory: dir.path, policy: policy)
        var sent: [String: [String]] = [:]
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await harness.batcher.runLane() }
            _ = try await harness.recover()
            for round in 0..<10 {
                for source in 0..<200 {
                    let ids = (0..<3).map { "m-\(source)-\(round)-\($0)" }
                    sent["src\(source)", default: []] += ids
                    try await harness.ingestor.ingest(PipelineHarness.record(source: "src\(source)", ids: ids))
                }
            }
            await harness.batcher.drain()
        }
        harness.spool.close()
        var received: [String: [String]] = [:]
        for object in try await harness.store.list(prefix: "segment-logs/") {
            let source = String(object.key.split(separator: "/")[1])
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/bucket/" + object.key)))
            let text = String(decoding: try Gzip.decompress(bytes, maxOutputBytes: 1 << 30), as: UTF8.self)
            for line in text.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                received[source, default: []].append(try #require(object?["messageId"] as? String))
            }
        }
        #expect(received.count == 200)
        for (source, ids) in sent {
            #expect(received[source] == ids, "\(source): events missing, duplicated or out of order")
        }
    }
}
