import Synchronization

/// Hands accepted events to live-debugger subscribers. The Tracking API publishes a request's enriched lines
/// after the spool accepted them; with no subscriber that is one atomic load. Each subscriber has its own bounded
/// buffer that keeps the newest events: a slow reader loses old events (counted, and told as "N skipped"), it
/// never slows ingest.
///
/// ```swift
/// let subscription = tap.subscribe(sourceID: id, filter: DebuggerFilter(type: "track"))
/// for await line in subscription.events { ... }
/// ```
public final class EventTap: Sendable {
    /// What a subscriber reads: an event line, or a keep-alive tick.
    public enum Item: Sendable, Equatable {
        case event([UInt8])
        case tick
    }

    struct Subscriber: Sendable {
        let sourceID: String
        let filter: DebuggerFilter
        let continuation: AsyncStream<Item>.Continuation
        let skipped: Subscription.Counter
    }

    let count = Atomic<Int>(0)
    let subscribers = Mutex<[Int: Subscriber]>([:])
    let nextID = Atomic<Int>(0)
    /// Events accepted and rejected per minute and source (the console's overview charts).
    public let counts = IngestCounts()

    public init() {}

    /// Whether anyone listens (cheap: the ingest path asks before copying anything).
    public var hasSubscribers: Bool { count.load(ordering: .relaxed) > 0 }

    /// Publishes one request's enriched NDJSON lines for `sourceID`.
    public func publish(sourceID: String, lines: [UInt8]) {
        let listening = subscribers.withLock { $0.values.filter { $0.sourceID == sourceID } }
        guard !listening.isEmpty else { return }
        for line in lines.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let bytes = Array(line)
            let fields = listening.contains { !$0.filter.isEmpty } ? EventFields(line: bytes) : EventFields()
            for subscriber in listening where subscriber.filter.isEmpty || subscriber.filter.matches(fields) {
                if case .dropped = subscriber.continuation.yield(.event(bytes)) { subscriber.skipped.add() }
            }
        }
    }

    /// Subscribes to `sourceID`'s events that pass `filter`, buffering at most `capacity` unread ones.
    public func subscribe(sourceID: String, filter: DebuggerFilter, capacity: Int = 500) -> Subscription {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(
            of: Item.self, bufferingPolicy: .bufferingNewest(max(capacity, 1)))
        let skipped = Subscription.Counter()
        subscribers.withLock {
            $0[id] = Subscriber(sourceID: sourceID, filter: filter, continuation: continuation, skipped: skipped)
        }
        count.add(1, ordering: .relaxed)
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        return Subscription(events: stream, continuation: continuation, skipped: skipped)
    }

    func remove(_ id: Int) {
        if subscribers.withLock({ $0.removeValue(forKey: id) }) != nil { count.subtract(1, ordering: .relaxed) }
    }

    /// One subscriber's stream; `finish()` ends it and unsubscribes.
    public struct Subscription: Sendable {
        /// Counts events dropped because the buffer was full.
        final class Counter: Sendable {
            let value = Atomic<Int>(0)
            func add() { value.add(1, ordering: .relaxed) }
        }

        public let events: AsyncStream<Item>
        let continuation: AsyncStream<Item>.Continuation
        let skipped: Counter

        /// Events dropped since the last call.
        public func takeSkipped() -> Int { skipped.value.exchange(0, ordering: .relaxed) }

        /// Adds a keep-alive tick (so a closed connection is noticed when it is written).
        public func tick() {
            if case .dropped(.event) = continuation.yield(.tick) { skipped.add() }
        }

        public func finish() { continuation.finish() }
    }
}
