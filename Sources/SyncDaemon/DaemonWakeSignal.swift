import Synchronization

/// Wakes the daemon's run loop when work arrives, so a delivery stored while the daemon is idle is
/// processed at once instead of after the idle wait.
///
/// A signal given while nobody waits is remembered (once): the next ``wait(upToMilliseconds:)``
/// returns at once. Signals never queue up beyond that, so a burst of deliveries costs one wake-up.
final class DaemonWakeSignal: Sendable {
    private struct State: Sendable {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    init() {}

    /// Wakes the current waiter, or the next one if nobody waits.
    func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let w = s.waiter else {
                s.pending = true
                return nil
            }
            s.waiter = nil
            return w
        }
        waiter?.resume()
    }

    /// Returns when signalled (at once if a signal came since the last wait) or after `milliseconds`
    /// of real time, whichever comes first.
    func wait(upToMilliseconds milliseconds: Int) async {
        let signalled = state.withLock { s -> Bool in
            defer { s.pending = false }
            return s.pending
        }
        if signalled { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForSignal() }
            group.addTask { try? await Task.sleep(for: .milliseconds(milliseconds)) }
            _ = await group.next()
            group.cancelAll()
        }
    }

    /// Suspends until ``signal()`` or until the task is cancelled.
    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.pending || Task.isCancelled {
                        s.pending = false
                        return true
                    }
                    s.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume()
        }
    }
}
