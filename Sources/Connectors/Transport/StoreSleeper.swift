/// Waits, for ``StoreClient``'s pacing and retry delays.
///
/// Production uses ``TaskSleeper``; tests inject one that advances a `ManualClock` instead, so pacing
/// and backoff are tested without real waiting.
public protocol StoreSleeper: Sendable {
    /// Suspends for `milliseconds` (≥ 0); throws `CancellationError` if the task is cancelled.
    func sleep(milliseconds: Int64) async throws
}

/// Real waiting with `Task.sleep`.
public struct TaskSleeper: StoreSleeper {
    public init() {}

    public func sleep(milliseconds: Int64) async throws {
        guard milliseconds > 0 else { return try Task.checkCancellation() }
        try await Task.sleep(for: .milliseconds(milliseconds))
    }
}
