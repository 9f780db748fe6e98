import GRDB

/// The transaction of one ``OordenLedger/batch(_:)``, held by the ledger handed to the batch's body.
///
/// That ledger's operations run in it as savepoints instead of opening transactions of their own
/// (GRDB's queue is not reentrant); the ledger that opened the batch, used from any other thread,
/// waits for the database as before. It is only used inside the batch's closure, on the database's
/// queue — GRDB checks the queue on every use, and ``connection`` refuses a batch that has ended —
/// hence `@unchecked Sendable`.
final class LedgerBatch: @unchecked Sendable {
    private let db: Database
    private var isOpen = true

    init(_ db: Database) {
        self.db = db
    }

    /// Called when the batch's transaction commits or rolls back.
    func end() {
        isOpen = false
    }

    /// The batch's connection. A ledger kept past its batch's closure is a programming error: it
    /// stops here instead of writing into whatever transaction runs next.
    var connection: Database {
        precondition(isOpen, "a ledger handed to a batch was used after the batch ended")
        return db
    }
}
