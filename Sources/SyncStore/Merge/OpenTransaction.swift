import Foundation
import GRDB
import SyncCore

/// A ``CRDTStore`` write transaction that is open, as handed to a store joined to it
/// (``CRDTStore/joined(to:)``): its connection and its buffers.
///
/// A joined store writes in this transaction as savepoints and reads it, instead of waiting for the
/// database (GRDB's queue is not reentrant). It is only used inside the write's closure, on the
/// database's queue — GRDB checks the queue on every use of `db`, and ``connection`` refuses a
/// transaction that has ended — hence `@unchecked Sendable`.
final class OpenTransaction: @unchecked Sendable {
    private let db: Database
    let buffers: CRDTTransaction.Buffers
    let localReplica: ReplicaID

    init(_ tx: CRDTTransaction) {
        db = tx.db
        buffers = tx.buffers
        localReplica = tx.localReplica
    }

    /// The transaction's connection. A store joined to a transaction that has ended is a programming
    /// error (it was kept past the closure it was handed to): it stops here instead of writing into
    /// whatever transaction runs next.
    var connection: Database {
        precondition(buffers.isOpen, "a CRDTStore joined to a write transaction was used after that transaction ended")
        return db
    }

    /// Runs `body` in a savepoint of this transaction, sharing its buffers (local sequence, vector,
    /// clocks). If `body` throws, only its changes are undone, buffers included.
    func savepoint<T>(_ body: (inout CRDTTransaction) throws -> T) throws -> T {
        let db = connection
        let saved = buffers.state
        var tx = CRDTTransaction(db: db, local: localReplica, buffers: buffers)
        do {
            var result: T?
            try db.inSavepoint {
                result = try body(&tx)
                return .commit
            }
            return result!
        } catch {
            buffers.state = saved
            throw error
        }
    }
}
