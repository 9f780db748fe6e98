import Foundation
import Testing
@testable import SyncCore
@testable import SyncEngine
@testable import SyncStore

/// What the engine's own tables keep across writes, read back through the engine's API: the
/// record types (`StoreLinkRow`, `HeldRecordRow`, `PushOutboxRow`, `SyncCursorRow`) must store what
/// the upserts they replaced stored.
@Suite("Engine tables")
struct EngineTablesTests {
    @Test("holding a held record again keeps its id and first time and takes the new reason, payload and last time")
    func holdAgain() throws {
        let clock = ManualClock(milliseconds: t0)
        let engine = try makeEngine(clock)
        try engine.connect(link: "tienda", kind: .shopify)
        try engine.hold(link: "tienda", kind: .contact, remoteID: "7", reason: HoldReason(code: .malformedRecord, message: "first"), payload: "{}")
        try engine.hold(link: "tienda", kind: .product, remoteID: "8", reason: HoldReason(code: .missingSKU, message: "other"), payload: "[]")
        let first = try #require(try engine.heldRecords().first)
        clock.advance(by: 5_000)
        try engine.hold(link: "tienda", kind: .contact, remoteID: "7", reason: HoldReason(code: .invalidEmail, message: "second"), payload: "{\"id\":7}")
        let held = try engine.heldRecords()
        #expect(held.count == 2)
        let again = try #require(held.first)
        #expect(again.id == first.id && again.firstHeldAt == t0 && again.lastHeldAt == t0 + 5_000)
        #expect(again.reason == HoldReason(code: .invalidEmail, message: "second") && again.payload == "{\"id\":7}")
        #expect(try engine.retryHeld(id: first.id))
        #expect(try engine.heldRecords().map(\.remoteID) == ["8"])
        #expect(try !engine.retryHeld(id: first.id))
    }

    @Test("the outbox keeps the first attempt's time and counts deferrals; a new attempt is in flight; ending it removes the entry")
    func outboxAttempts() throws {
        let clock = ManualClock(milliseconds: t0)
        let engine = try makeEngine(clock)
        try engine.connect(link: "tienda", kind: .shopify)
        var rng = SeededRandom(seed: 3)
        let intent = PushIntent(link: "tienda", kind: .contact, entity: EntityID.random(using: &rng), action: .create,
                                fields: [.email: .string("ana@example.mx")], record: [:], naturalKey: "ana@example.mx")
        #expect(try engine.beginPush(intent) == nil)
        #expect(try engine.outboxEntry(for: intent)?.inFlightSince == t0)
        clock.advance(by: 1_000)
        let deferred = try #require(try engine.deferPush(intent, message: "503", delayMilliseconds: 4_000))
        #expect(deferred.attempts == 1 && deferred.inFlightSince == nil && deferred.nextAttemptAt == t0 + 5_000)
        #expect(deferred.firstAttemptAt == t0 && deferred.lastError == "503" && deferred.inDoubt)
        clock.advance(by: 5_000)
        let before = try #require(try engine.beginPush(intent))
        #expect(before == deferred)
        let current = try #require(try engine.outbox().first)
        #expect(current.attempts == 1 && current.inFlightSince == t0 + 6_000 && current.lastError == "503" && current.firstAttemptAt == t0)
        _ = try engine.deferPush(intent, message: "timeout", delayMilliseconds: -10)
        #expect(try engine.outboxEntry(for: intent)?.attempts == 2)
        #expect(try engine.outboxEntry(for: intent)?.nextAttemptAt == t0 + 6_000)
        try engine.endPush(intent)
        #expect(try engine.outbox().isEmpty)
    }

    @Test("a poll cursor never moves back, and a pull that is not a complete scan keeps the last scan's time")
    func pollCursor() throws {
        let clock = ManualClock(milliseconds: t0)
        let engine = try makeEngine(clock)
        try engine.connect(link: "tienda", kind: .shopify)
        #expect(try engine.pollCursor(link: "tienda", kind: .contact) == PollCursor(link: "tienda", kind: .contact))
        try engine.finishPull(link: "tienda", kind: .contact, newestUpdatedAt: nil, completeScanAt: nil)
        #expect(try engine.pollCursor(link: "tienda", kind: .contact) == PollCursor(link: "tienda", kind: .contact))
        try engine.finishPull(link: "tienda", kind: .contact, newestUpdatedAt: t0 - 10_000, completeScanAt: t0)
        try engine.finishPull(link: "tienda", kind: .contact, newestUpdatedAt: t0 - 20_000, completeScanAt: nil)
        #expect(try engine.pollCursor(link: "tienda", kind: .contact)
            == PollCursor(link: "tienda", kind: .contact, updatedAtMilliseconds: t0 - 10_000, lastCompleteScanMilliseconds: t0))
        try engine.finishPull(link: "tienda", kind: .contact, newestUpdatedAt: nil, completeScanAt: t0 + 1)
        try engine.finishPull(link: "tienda", kind: .contact, newestUpdatedAt: t0 - 5_000, completeScanAt: nil)
        #expect(try engine.pollCursor(link: "tienda", kind: .contact)
            == PollCursor(link: "tienda", kind: .contact, updatedAtMilliseconds: t0 - 5_000, lastCompleteScanMilliseconds: t0 + 1))
        #expect(try engine.pollCursor(link: "tienda", kind: .product).updatedAtMilliseconds == nil)
    }

    @Test("a store link keeps its kind, replica, created kinds and clock estimate")
    func storeLinks() throws {
        let clock = ManualClock(milliseconds: t0)
        let engine = try makeEngine(clock)
        let woo = try engine.connect(link: "woo", kind: .woocommerce, createsKinds: [.product], archivesOnDelete: false)
        let shop = try engine.connect(link: "shop", kind: .shopify)
        #expect(try engine.connect(link: "woo", kind: .woocommerce) == woo)
        #expect(throws: SyncEngineError.self) { try engine.connect(link: "woo", kind: .shopify) }
        #expect(try engine.links() == [shop, woo])
        #expect(try engine.clockSamples(link: "woo") == 0)
        try engine.observeStoreClock(link: "woo", dateHeader: t0 + 60_000, sentAt: t0, receivedAt: t0)
        let estimated = try #require(try engine.link(named: "woo"))
        #expect(try engine.clockSamples(link: "woo") == 1)
        #expect(estimated.clockOffsetMilliseconds != 0)
        #expect(estimated.createsKinds == [.product] && !estimated.archivesOnDelete && estimated.replica == woo.replica)
        #expect(throws: SyncEngineError.self) { try engine.observeStoreClock(link: "nope", dateHeader: t0, sentAt: t0, receivedAt: t0) }
        #expect(throws: SyncEngineError.self) { try engine.clockSamples(link: "nope") }
    }
}
