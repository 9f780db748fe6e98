import Connectors
import Testing

/// A reference Shopify bucket for the simulation: continuous leak, 429 when a call would overflow.
private struct SimulatedBucket {
    let size: Int64
    let leakPerSecond: Int64
    var levelMillicalls: Int64 = 0
    var at: Int64 = 0
    var served429 = 0

    mutating func call(at now: Int64) -> (status: Int, header: String) {
        if now > at {
            levelMillicalls = max(0, levelMillicalls - (now - at) * leakPerSecond)
            at = now
        }
        if levelMillicalls + 1000 > size * 1000 {
            served429 += 1
            return (429, "\(size)/\(size)")
        }
        levelMillicalls += 1000
        // Shopify shows whole calls; rounding down is the least helpful case for the client.
        return (200, "\(levelMillicalls / 1000)/\(size)")
    }
}

/// Drives `calls` calls through `pacer` and `bucket` on a simulated clock. `latency(i)` is how long call i
/// takes to reach the store; the answer takes as long to come back. `workers` calls may be in flight at once.
private func simulate(
    calls: Int, workers: Int, pacer: inout ShopifyRateLimitPacer, bucket: inout SimulatedBucket,
    latency: (Int) -> Int64
) -> Int64 {
    struct Flight { var arrives: Int64; var returns: Int64; var index: Int }
    var now: Int64 = 0
    var flights: [Flight] = []
    var sent = 0, answered = 0
    var pendingAnswers: [(at: Int64, status: Int, header: String)] = []
    while answered < calls {
        // Deliver arrivals and answers due now, in time order.
        flights.sort { $0.arrives < $1.arrives }
        while let f = flights.first, f.arrives <= now {
            flights.removeFirst()
            let (status, header) = bucket.call(at: f.arrives)
            pendingAnswers.append((f.returns, status, header))
        }
        pendingAnswers.sort { $0.at < $1.at }
        while let a = pendingAnswers.first, a.at <= now {
            pendingAnswers.removeFirst()
            if a.status == 429 { pacer.observeRateLimited(nowMilliseconds: now) }
            pacer.complete(callLimit: a.header, nowMilliseconds: now)
            answered += 1
        }
        var nextWake = Int64.max
        while sent < calls, sent - answered < workers {
            let wait = pacer.reserve(nowMilliseconds: now)
            if wait > 0 { nextWake = now + wait; break }
            let l = latency(sent)
            flights.append(Flight(arrives: now + l, returns: now + 2 * l, index: sent))
            sent += 1
        }
        let nextEvent = min(nextWake, flights.map(\.arrives).min() ?? .max, pendingAnswers.map(\.at).min() ?? .max)
        guard nextEvent != .max else { break }
        now = max(now + 1, nextEvent)
    }
    return now
}

@Suite("Shopify rate-limit pacer")
struct PacingTests {
    @Test("200 sequential calls against 40 @ 2/s: no 429, and no slower than the bucket requires")
    func burstAtStandardRate() {
        var pacer = ShopifyRateLimitPacer(leakPerSecond: 2)
        var bucket = SimulatedBucket(size: 40, leakPerSecond: 2)
        let elapsed = simulate(calls: 200, workers: 1, pacer: &pacer, bucket: &bucket, latency: { _ in 20 })
        #expect(bucket.served429 == 0)
        // 39 calls fit at once (one call of headroom); the other 161 need 161 / 2 s = 80.5 s of leaking.
        #expect(elapsed >= 80_000)
        #expect(elapsed <= 82_000)
    }

    @Test("8 concurrent callers with uneven network delays: no 429", arguments: [UInt64(1), 2, 3])
    func concurrentWithJitteredLatency(_ seed: UInt64) {
        var pacer = ShopifyRateLimitPacer(leakPerSecond: 2)
        var bucket = SimulatedBucket(size: 40, leakPerSecond: 2)
        var state = seed
        let delays: [Int64] = (0..<200).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int64(5 + (state >> 33) % 400)   // 5..404 ms each way
        }
        let elapsed = simulate(calls: 200, workers: 8, pacer: &pacer, bucket: &bucket, latency: { delays[$0] })
        #expect(bucket.served429 == 0)
        #expect(elapsed <= 90_000)
    }

    @Test("in-flight calls count fully until answered; answered calls then leak")
    func inFlightCounting() {
        var pacer = ShopifyRateLimitPacer(leakPerSecond: 2, bucketSize: 40, headroom: 1)
        let waits = (0..<39).map { _ in pacer.reserve(nowMilliseconds: 0) }
        #expect(waits.allSatisfy { $0 == 0 })
        #expect(pacer.inFlight == 39)
        #expect(pacer.reserve(nowMilliseconds: 0) == 500)
        // Still nothing answered a second later: the in-flight calls have not started leaking.
        #expect(pacer.reserve(nowMilliseconds: 1_000) == 500)
        for _ in 0..<39 { pacer.complete(callLimit: nil, nowMilliseconds: 1_000) }
        #expect(pacer.inFlight == 0)
        #expect(pacer.estimatedLevel(nowMilliseconds: 1_000) == 39)
        #expect(pacer.reserve(nowMilliseconds: 1_250) == 250)
        #expect(pacer.reserve(nowMilliseconds: 1_500) == 0)
    }

    @Test("a header reporting a fuller bucket than estimated slows the next call")
    func headerCorrectsUpwards() {
        var pacer = ShopifyRateLimitPacer(leakPerSecond: 2)
        #expect(pacer.reserve(nowMilliseconds: 0) == 0)
        pacer.complete(callLimit: "40/40", nowMilliseconds: 100)   // another client filled the bucket
        #expect(pacer.estimatedLevel(nowMilliseconds: 100) == 40)
        // 40 → 38 (39 - 1 free) takes 2 calls at 2/s = 1000 ms.
        #expect(pacer.reserve(nowMilliseconds: 100) == 1_000)
        #expect(pacer.reserve(nowMilliseconds: 1_100) == 0)

        var other = ShopifyRateLimitPacer(leakPerSecond: 4)
        for _ in 0..<10 { _ = other.reserve(nowMilliseconds: 0) }
        for _ in 0..<10 { other.complete(callLimit: "1/40", nowMilliseconds: 0) }   // lower than ours: ours stands
        #expect(other.estimatedLevel(nowMilliseconds: 0) == 10)
    }

    @Test("the bucket size is learned from the header")
    func learnsBucketSize() {
        var pacer = ShopifyRateLimitPacer(leakPerSecond: 20)
        _ = pacer.reserve(nowMilliseconds: 0)
        pacer.complete(callLimit: "10/400", nowMilliseconds: 0)
        #expect(pacer.bucketSize == 400)
        let waits = (0..<389).map { _ in pacer.reserve(nowMilliseconds: 0) }
        #expect(waits.allSatisfy { $0 == 0 })
        #expect(pacer.reserve(nowMilliseconds: 0) == 50)   // 1 call at 20/s
    }

    @Test("a 429 marks the bucket full; an unanswered call still counts")
    func rateLimitedAndAbandoned() {
        var pacer = ShopifyRateLimitPacer(leakPerSecond: 2)
        _ = pacer.reserve(nowMilliseconds: 0)
        pacer.complete(callLimit: nil, nowMilliseconds: 10)
        pacer.observeRateLimited(nowMilliseconds: 10)
        #expect(pacer.estimatedLevel(nowMilliseconds: 10) == 40)
        #expect(pacer.reserve(nowMilliseconds: 10) == 1_000)

        var timedOut = ShopifyRateLimitPacer(leakPerSecond: 2)
        _ = timedOut.reserve(nowMilliseconds: 0)
        timedOut.abandon(nowMilliseconds: 5_000)
        #expect(timedOut.inFlight == 0)
        #expect(timedOut.estimatedLevel(nowMilliseconds: 5_000) == 1)
    }

    @Test("unreadable headers are ignored", arguments: ["", "40", "a/40", "3/0", "-1/40", "1/2/3"])
    func unreadableHeader(_ header: String) {
        var pacer = ShopifyRateLimitPacer(leakPerSecond: 2)
        _ = pacer.reserve(nowMilliseconds: 0)
        pacer.complete(callLimit: header, nowMilliseconds: 0)
        #expect(pacer.estimatedLevel(nowMilliseconds: 0) == 1)
        #expect(pacer.bucketSize == 40)
        #expect(ShopifyRateLimitPacer.parse(header) == nil)
    }

    @Test("header parsing")
    func parse() throws {
        let parsed = try #require(ShopifyRateLimitPacer.parse("32/40"))
        #expect(parsed.used == 32 && parsed.size == 40)
        let spaced = try #require(ShopifyRateLimitPacer.parse(" 1 / 80"))
        #expect(spaced.used == 1 && spaced.size == 80)
    }
}
