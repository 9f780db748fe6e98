import Synchronization

/// A `Mutex` held by reference, so that an engine and its views joined to an open transaction
/// (``SyncEngine/joined(to:)``) share one id generator and one count: a `Mutex` cannot be copied
/// into the view.
final class SharedMutex<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with the value, holding the lock.
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
