/// Oorden refused a write the engine asked of it: a rule of the company's data (a duplicate e-mail or
/// SKU, a missing required field), not a failure to store it.
///
/// An ``OordenHost`` throws it from ``OordenHost/create(_:fields:origin:)`` and
/// ``OordenHost/update(_:id:fields:origin:)`` for exactly that case. The engine then holds the record
/// (`push_rejected`) with this message, so a person can fix the data; the next change to the record
/// tries again. Any other error — a disk that is full, a database file that is damaged or busy — is not
/// the record's fault: the engine lets it fail the pass, holds nothing, and the next pass repeats the
/// write.
///
/// ```swift
/// do { try ledger.createContact(draft) }
/// catch let e as LedgerError where e.code != .storage { throw OordenRefusal("\(e)") }
/// ```
public struct OordenRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// Oorden's own words, shown in the held record.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
