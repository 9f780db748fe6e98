import Testing
@testable import SyncCore

@Suite("HybridLogicalClock")
struct HybridLogicalClockTests {
    @Test("strictly increasing under random send, receive and restart with a wall clock that jumps backwards")
    func monotonic() {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<1_000 {
            var physical: Int64 = 1_795_964_405_000
            var persisted = HLC.zero
            var clock = HybridLogicalClock(highWater: persisted)
            var last = HLC.zero
            for _ in 0..<60 {
                // The wall clock wanders: small steps, and sometimes a jump back by up to an hour.
                physical += Int64.random(in: -3...20, using: &rng)
                if rng.chance(0.05) { physical -= Int64.random(in: 0...3_600_000, using: &rng) }
                let reading: HLC
                switch Int.random(in: 0..<10, using: &rng) {
                case 0..<5:
                    reading = clock.tick(physical: physical)
                case 5..<9:
                    let remote = HLC(milliseconds: physical + Int64.random(in: -60_000...60_000, using: &rng),
                                     counter: UInt16.random(in: 0...20, using: &rng))
                    let o = clock.receive(remote, physical: physical)
                    reading = o.reading
                    if case .adopted(let r) = o { #expect(r > remote) }
                default:
                    // Restart from the persisted high-water mark (persisted after every reading).
                    clock = HybridLogicalClock(highWater: persisted)
                    reading = clock.tick(physical: physical)
                }
                #expect(reading > last)
                last = reading
                persisted = clock.highWater
            }
        }
    }

    @Test("a remote reading beyond the drift bound is clamped and reported, not adopted")
    func driftClamp() {
        var clock = HybridLogicalClock(highWater: .zero, maxDrift: 300_000)
        let now: Int64 = 1_795_964_405_000
        let far = HLC(milliseconds: now + 600_000, counter: 0)
        let o = clock.receive(far, physical: now)
        guard case .clamped(let local, let ahead) = o else {
            Issue.record("expected a clamp, got \(o)")
            return
        }
        #expect(ahead == 600_000)
        #expect(local.milliseconds == now)
        #expect(clock.highWater < far)
        // Within the bound it is adopted.
        let near = HLC(milliseconds: now + 200_000, counter: 7)
        #expect(clock.receive(near, physical: now) == .adopted(HLC(milliseconds: now + 200_000, counter: 8)))
    }

    @Test("counter overflow advances the millisecond")
    func overflow() {
        let ms: Int64 = 1_795_964_405_000
        var clock = HybridLogicalClock(highWater: HLC(milliseconds: ms, counter: .max - 1))
        #expect(clock.tick(physical: ms) == HLC(milliseconds: ms, counter: .max))
        #expect(clock.tick(physical: ms) == HLC(milliseconds: ms + 1, counter: 0))
        var other = HybridLogicalClock(highWater: .zero)
        #expect(other.receive(HLC(milliseconds: ms, counter: .max), physical: ms - 10) == .adopted(HLC(milliseconds: ms + 1, counter: 0)))
    }

    @Test("receive follows the paper's counter rules")
    func receiveRules() {
        let ms: Int64 = 1_000_000
        var c = HybridLogicalClock(highWater: HLC(milliseconds: ms, counter: 3))
        // Equal milliseconds on both: max counter + 1.
        #expect(c.receive(HLC(milliseconds: ms, counter: 9), physical: ms - 5).reading == HLC(milliseconds: ms, counter: 10))
        // Remote ahead: remote counter + 1.
        #expect(c.receive(HLC(milliseconds: ms + 5, counter: 2), physical: ms).reading == HLC(milliseconds: ms + 5, counter: 3))
        // Physical ahead of both: counter 0.
        #expect(c.receive(HLC(milliseconds: ms, counter: 0), physical: ms + 100).reading == HLC(milliseconds: ms + 100, counter: 0))
    }

    @Test("human form parses back")
    func humanForm() {
        var rng = SeededRandom(seed: 9)
        let replica = ReplicaID.random(using: &rng)
        let s = Stamp(hlc: HLC(milliseconds: 1_795_964_405_123, counter: 2), replica: replica)
        #expect(s.hlc.description == "2026-11-29T15:00:05.123Z#2")
        #expect(s.short == "2026-11-29T15:00:05.123Z#2@\(replica.short)")
        #expect(Stamp(parsing: s.description) == s)
        #expect(Stamp(parsing: s.short) == nil)
        #expect(HLC(parsing: "2026-11-29T15:00:05.123Z") == nil)
    }

    @Test("stamps tie-break by replica bytes, a global order")
    func tieBreak() {
        let h = HLC(milliseconds: 5, counter: 0)
        let a = ReplicaID(high: 0x00FF_0000_0000_0000, low: 0)
        let b = ReplicaID(high: 0x0100_0000_0000_0000, low: 0)
        #expect(Stamp(hlc: h, replica: a) < Stamp(hlc: h, replica: b))
        #expect(a.bytes.lexicographicallyPrecedes(b.bytes))
        #expect(Stamp(hlc: HLC(milliseconds: 6, counter: 0), replica: a) > Stamp(hlc: h, replica: b))
    }
}
