import Foundation
import Synchronization

/// The write transaction a ``CRDTStore`` is running, and the thread running it.
///
/// ``CRDTStore/write(_:)`` and ``CRDTStore/read(_:)`` called from inside a write's closure run in
/// that transaction instead of waiting for it (GRDB's queue is not reentrant); calls from any other
/// thread wait for the database as before. The buffers are only touched by the owning thread.
final class OpenTransaction: Sendable {
    private struct Slot: @unchecked Sendable {
        var owner: UInt?
        var buffers: CRDTTransaction.Buffers?
    }

    private let slot = Mutex(Slot())

    /// The open transaction's buffers when the calling thread is the one running it.
    func joinable() -> CRDTTransaction.Buffers? {
        let me = Self.currentThread
        return slot.withLock { $0.owner == me ? $0.buffers : nil }
    }

    func begin(_ buffers: CRDTTransaction.Buffers) {
        let me = Self.currentThread
        slot.withLock { $0 = Slot(owner: me, buffers: buffers) }
    }

    func end() {
        slot.withLock { $0 = Slot() }
    }

    static var currentThread: UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }
}
