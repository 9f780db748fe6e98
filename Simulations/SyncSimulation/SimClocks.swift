import Connectors
import Synchronization
import SyncCore

/// A ``StoreSleeper`` that never waits: it advances the simulation's wall clock instead, so retries
/// and `Retry-After` waits cost simulated time only.
public struct ClockAdvancingSleeper: StoreSleeper {
    let clock: ManualClock

    public init(clock: ManualClock) {
        self.clock = clock
    }

    public func sleep(milliseconds: Int64) async throws {
        clock.advance(by: max(0, milliseconds))
    }
}

/// The engine's or the ledger's wall clock: the simulation's true time plus an offset that the
/// simulator moves backwards to model the machine's clock being corrected (NTP stepping it back).
public final class OffsetClock: WallClock {
    let base: ManualClock
    private let offset = Mutex<Int64>(0)

    public init(base: ManualClock) {
        self.base = base
    }

    /// How far this clock is from true time, in milliseconds (≤ 0 in the simulator).
    public var offsetMilliseconds: Int64 {
        get { offset.withLock { $0 } }
        set { offset.withLock { $0 = newValue } }
    }

    public func nowMilliseconds() -> Int64 { base.nowMilliseconds() + offsetMilliseconds }
}
