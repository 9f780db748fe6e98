import Foundation
import Synchronization

/// The thread running an ``OordenLedger/batch(_:)``: ledger operations it makes join the batch's
/// transaction; operations from other threads wait for the database as usual.
final class LedgerBatch: Sendable {
    private let owner = Mutex<UInt?>(nil)

    var isOwnedByCurrentThread: Bool {
        let me = Self.currentThread
        return owner.withLock { $0 == me }
    }

    func begin() {
        let me = Self.currentThread
        owner.withLock { $0 = me }
    }

    func end() {
        owner.withLock { $0 = nil }
    }

    static var currentThread: UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }
}
