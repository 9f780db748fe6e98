/// The hybrid logical clock of one replica (Kulkarni et al. 2014, "Logical Physical Clocks").
///
/// Readings are strictly increasing, stay close to physical time, and respect causality: a reading
/// taken after receiving a remote time is greater than that remote time. Three guards make it safe
/// for a long-running sync engine:
/// - **Counter overflow** advances the millisecond instead of wrapping.
/// - **Drift clamp**: a remote time more than ``maxDrift`` ahead of the physical clock is reported
///   and not adopted, so one store with a broken clock cannot drag every future stamp forward.
/// - **High-water mark**: ``highWater`` is persisted with every batch that used a reading; a clock
///   restored from it never reissues an old reading, even if the wall clock went backwards.
///
/// The physical time is always passed in, so the clock is deterministic under test.
///
/// ```swift
/// var clock = HybridLogicalClock(highWater: .zero)
/// let a = clock.tick(physical: 1_000)        // 1000ms #0
/// let b = clock.tick(physical: 999)          // 1000ms #1 — the wall clock went back; HLC did not
/// ```
public struct HybridLogicalClock: Sendable, Hashable {
    /// The last reading issued or observed; persist it.
    public private(set) var highWater: HLC
    /// How far ahead of physical time a remote reading may be before it is clamped (ms).
    public var maxDrift: Int64

    /// Five minutes.
    public static let defaultMaxDrift: Int64 = 5 * 60 * 1000

    public init(highWater: HLC = .zero, maxDrift: Int64 = HybridLogicalClock.defaultMaxDrift) {
        self.highWater = highWater
        self.maxDrift = maxDrift
    }

    /// A reading for a local event (a local write, or sending).
    public mutating func tick(physical: Int64) -> HLC {
        let pt = max(0, min(physical, HLC.maxMilliseconds))
        let last = highWater
        let next: HLC
        if pt > last.milliseconds {
            next = HLC(milliseconds: pt, counter: 0)
        } else {
            next = HLC.successor(of: last)
        }
        assert(next > last, "HLC must be strictly increasing")
        highWater = next
        return next
    }

    /// The outcome of observing a remote reading.
    public enum Observation: Sendable, Hashable {
        /// The clock moved to (or past) the remote reading; the new local reading.
        case adopted(HLC)
        /// The remote reading was more than `maxDrift` ahead of physical time; the clock ticked
        /// locally instead and did not adopt it. `aheadBy` is the excess over physical time (ms).
        case clamped(local: HLC, aheadBy: Int64)

        public var reading: HLC {
            switch self {
            case .adopted(let h), .clamped(let h, _): h
            }
        }
    }

    /// Observes a remote reading (receiving a message): the paper's receive rule.
    public mutating func receive(_ remote: HLC, physical: Int64) -> Observation {
        let pt = max(0, min(physical, HLC.maxMilliseconds))
        if remote.milliseconds > pt + maxDrift {
            return .clamped(local: tick(physical: physical), aheadBy: remote.milliseconds - pt)
        }
        let last = highWater
        let l = max(last.milliseconds, remote.milliseconds, pt)
        let next: HLC
        if l == last.milliseconds && l == remote.milliseconds {
            next = HLC.advance(ms: l, counterAfter: max(last.counter, remote.counter))
        } else if l == last.milliseconds {
            next = HLC.advance(ms: l, counterAfter: last.counter)
        } else if l == remote.milliseconds {
            next = HLC.advance(ms: l, counterAfter: remote.counter)
        } else {
            next = HLC(milliseconds: l, counter: 0)
        }
        assert(next > last && next > remote, "HLC receive must exceed both readings")
        highWater = next
        return .adopted(next)
    }

    /// Raises the high-water mark to at least `reading` without issuing a reading (restores).
    public mutating func observeHighWater(_ reading: HLC) {
        if reading > highWater { highWater = reading }
    }
}

extension HLC {
    /// The next reading after `h`: counter + 1, or the next millisecond when the counter is full.
    static func successor(of h: HLC) -> HLC {
        advance(ms: h.milliseconds, counterAfter: h.counter)
    }

    static func advance(ms: Int64, counterAfter c: UInt16) -> HLC {
        if c == HLC.maxCounter {
            return HLC(milliseconds: ms + 1, counter: 0)
        }
        return HLC(milliseconds: ms, counter: c + 1)
    }
}
