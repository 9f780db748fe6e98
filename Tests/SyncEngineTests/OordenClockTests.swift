import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import Testing
@testable import SyncCore
@testable import SyncEngine
@testable import SyncStore

/// An engine on true time and a ledger on a clock of its own, which may step back.
struct LedgerClockRig {
    let engineClock: ManualClock
    let ledgerClock: ManualClock
    let engine: SyncEngine
    let ledger: OordenLedger
    let host: OordenLedgerHost
    let contactID: Int64

    init(engine path: String? = nil) throws {
        engineClock = ManualClock(milliseconds: t0)
        ledgerClock = ManualClock(milliseconds: t0)
        engine = try SyncEngine.open(path: path, clock: engineClock, seed: 1, logger: Logger(label: "test"))
        ledger = try OordenLedger(inMemoryWith: ledgerClock)
        _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
        host = OordenLedgerHost(ledger: ledger)
        contactID = try ledger.createContact(ContactDraft(firstName: "Ana", lastName: "López", email: "ana@example.mx", phone: "1")).id
    }

    /// Both clocks move forward by `ms` (true time passes).
    func advance(_ ms: Int64) {
        engineClock.advance(by: ms)
        ledgerClock.advance(by: ms)
    }

    func editPhone(_ phone: String) throws {
        _ = try ledger.updateContact(contactID) { $0.phone = phone }
    }

    func phoneRegister(of engine: SyncEngine? = nil) throws -> LWWRegister? {
        let engine = engine ?? self.engine
        let entity = try #require(try engine.entity(kind: .contact, naturalKey: "ana@example.mx"))
        return try engine.state(of: entity)?.registers.registers["phone"]
    }
}

@Suite("Oorden's hybrid clock")
struct OordenClockTests {
    @Test("the ledger's clock steps back a minute between two Oorden edits of the phone, read in two pulls: the second wins, stamped after the first")
    func secondEditWinsAcrossPulls() throws {
        let rig = try LedgerClockRig()
        try rig.engine.pullOorden(from: rig.host)
        rig.advance(10_000)
        try rig.editPhone("2")
        try rig.engine.pullOorden(from: rig.host)
        rig.advance(5_000)
        rig.ledgerClock.advance(by: -60_000)
        try rig.editPhone("3")
        try rig.engine.pullOorden(from: rig.host)
        let phone = try #require(try rig.phoneRegister())
        #expect(phone.value == .string("3"))
        // The first edit was stamped t0+10s#0; the second's ledger time (t0−45s) is earlier, so the tick is its successor.
        #expect(phone.stamp == Stamp(hlc: HLC(milliseconds: t0 + 10_000, counter: 1), replica: try rig.engine.oordenReplica()))
    }

    @Test("both edits in one pull: the feed is ticked per entry, in order, so the record is stamped after the first edit's time")
    func secondEditWinsInOneBatch() throws {
        let rig = try LedgerClockRig()
        try rig.engine.pullOorden(from: rig.host)
        rig.advance(10_000)
        try rig.editPhone("2")
        rig.advance(5_000)
        rig.ledgerClock.advance(by: -60_000)
        try rig.editPhone("3")
        try rig.engine.pullOorden(from: rig.host)
        let phone = try #require(try rig.phoneRegister())
        #expect(phone.value == .string("3"))
        #expect(phone.stamp.hlc == HLC(milliseconds: t0 + 10_000, counter: 1))
    }

    @Test("Oorden's clock survives a restart: an engine reopened after the first edit still stamps the second after it")
    func clockPersistsAcrossRestart() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-clock-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let rig = try LedgerClockRig(engine: path)
        try rig.engine.pullOorden(from: rig.host)
        rig.advance(10_000)
        try rig.editPhone("2")
        try rig.engine.pullOorden(from: rig.host)
        let reopened = try SyncEngine.open(path: path, clock: rig.engineClock, seed: 2, logger: Logger(label: "test"))
        rig.advance(5_000)
        rig.ledgerClock.advance(by: -60_000)
        try rig.editPhone("3")
        try reopened.pullOorden(from: rig.host)
        let phone = try #require(try rig.phoneRegister(of: reopened))
        #expect(phone.value == .string("3"))
        #expect(phone.stamp.hlc == HLC(milliseconds: t0 + 10_000, counter: 1))
    }

    @Test("a store's version keeps its event time, even behind Oorden's clock: a late webhook is not bumped past Oorden's edits")
    func storeEditKeepsEventTime() throws {
        let rig = try LedgerClockRig()
        let shop = try rig.engine.connect(link: "shopify", kind: .shopify)
        try rig.engine.pullOorden(from: rig.host)
        rig.advance(10_000)
        try rig.editPhone("2")
        try rig.engine.pullOorden(from: rig.host)
        // A store version from two minutes ago: its phone is older than Oorden's; its note is new.
        var late = contact(id: "7", email: "ana@example.mx", phone: "store-phone", updatedAt: t0 - 120_000)
        late.record.note = "VIP"
        _ = try rig.engine.ingest(contacts: [late], from: "shopify")
        let entity = try #require(try rig.engine.entity(kind: .contact, naturalKey: "ana@example.mx"))
        let registers = try #require(try rig.engine.state(of: entity)).registers
        #expect(registers["phone"] == .string("2"))
        #expect(registers.registers["note"]?.stamp == Stamp(hlc: HLC(milliseconds: t0 - 120_000, counter: 0), replica: shop.replica))
    }

    @Test("property: whatever the ledger's clock does, the last of a run of Oorden edits of one field wins, and each pull's stamp is later than the one before", arguments: 0..<20)
    func lastEditWins(trial: UInt64) throws {
        var random = SeededRandom(seed: 0x0C10_C4 ^ trial)
        let rig = try LedgerClockRig()
        try rig.engine.pullOorden(from: rig.host)
        var lastPhone = "1"
        var lastStamp = try #require(try rig.phoneRegister()).stamp
        for edit in 0..<Int.random(in: 2...8, using: &random) {
            rig.engineClock.advance(by: Int64.random(in: 1_000...10_000, using: &random))
            rig.ledgerClock.advance(by: Int64.random(in: -120_000...30_000, using: &random))
            lastPhone = "p\(trial)-\(edit)"
            try rig.editPhone(lastPhone)
            if random.chance(0.5) {
                try rig.engine.pullOorden(from: rig.host)
                let stamp = try #require(try rig.phoneRegister()).stamp
                #expect(stamp > lastStamp, "edit \(edit): \(stamp) after \(lastStamp)")
                lastStamp = stamp
            }
        }
        try rig.engine.pullOorden(from: rig.host)
        #expect(try rig.phoneRegister()?.value == .string(lastPhone))
    }
}
