import Foundation
import Synchronization

/// A source of physical time in milliseconds since the Unix epoch.
///
/// The core never reads the system clock itself: every component that needs "now" is handed a
/// `WallClock`. Production uses ``SystemWallClock``; tests and the simulator use ``ManualClock``,
/// which only moves when told to, so a seed replays exactly.
public protocol WallClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    func nowMilliseconds() -> Int64
}

/// The operating system's real-time clock. Use only at the edges (CLI, daemon).
public struct SystemWallClock: WallClock {
    public init() {}
    public func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}

/// A clock that reads a settable value; it may be moved forward or backward.
///
/// ```swift
/// let clock = ManualClock(milliseconds: 1_790_000_000_000)
/// clock.advance(by: 1_500)
/// clock.set(1_789_999_000_000)   // a jump backwards, as NTP corrections do
/// ```
public final class ManualClock: WallClock, @unchecked Sendable {
    private let value: Mutex<Int64>

    public init(milliseconds: Int64) {
        value = Mutex(milliseconds)
    }

    public func nowMilliseconds() -> Int64 { value.withLock { $0 } }

    public func set(_ milliseconds: Int64) { value.withLock { $0 = milliseconds } }

    public func advance(by milliseconds: Int64) { value.withLock { $0 += milliseconds } }
}
