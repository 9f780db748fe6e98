import Foundation
import OordenLedger
import SyncCore
import SyncEngine
import Testing
@testable import OordenLedgerAdapter

/// The reference host over the ledger: what it reports to the engine, and how it refuses.
@Suite struct OordenLedgerHostTests {
    static let t0: Int64 = 1_795_964_400_000

    static func host() throws -> OordenLedgerHost {
        let ledger = try OordenLedger(inMemoryWith: ManualClock(milliseconds: t0))
        _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
        return OordenLedgerHost(ledger: ledger)
    }

    @Test func aRuleOfTheLedgerIsARefusalAndItsStorageFailureIsNot() throws {
        #expect(throws: OordenRefusal("ledger duplicate_email: taken")) {
            try OordenLedgerHost.refusals { throw LedgerError(.duplicateEmail, "taken") }
        }
        #expect(throws: LedgerError(.storage, "damaged")) {
            try OordenLedgerHost.refusals { throw LedgerError(.storage, "damaged") }
        }
    }

    @Test func aContactTheLedgerRefusesComesBackAsARefusalWithTheLedgersWords() throws {
        let host = try Self.host()
        let replica = ReplicaID(bytes: Data(repeating: 7, count: 16))!
        let fields: FieldValues = [.email: .string("ana@example.mx"), .firstName: .string("Ana"), .lastName: .string("López")]
        let created = try host.create(.contact, fields: fields, origin: replica)
        #expect(created.fields[.email] == .string("ana@example.mx"))
        do {
            _ = try host.create(.contact, fields: fields, origin: replica)
            Issue.record("a second active contact with the same e-mail was created")
        } catch let refusal as OordenRefusal {
            #expect(refusal.message.contains("duplicate_email"), "\(refusal.message)")
        }
        #expect(try host.ledger.contacts().count == 1)
    }
}
