import Foundation
import Testing
@testable import SyncCore
@testable import SyncEngine

/// A complete scan read from a bulk export shows the store as it was when the export began:
/// ``SyncEngine/reconcileScan(link:kind:seen:snapshotAt:)`` must not take what came after for deleted.
@Suite("Snapshot scans and bulk reads")
struct SnapshotScanTests {
    @Test("after a snapshot scan, a linked record unseen and unchanged since before the snapshot is deleted; one changed at or after it is kept")
    func snapshotDeletions() throws {
        let clock = ManualClock(milliseconds: t0 + 600_000)
        let engine = try makeEngine(clock)
        try engine.connect(link: "tienda", kind: .shopify)
        _ = try engine.ingest(contacts: [
            contact(id: "1", email: "ana@example.mx", updatedAt: t0),
            contact(id: "2", email: "bea@example.mx", updatedAt: t0 + 120_000),
            contact(id: "3", email: "cruz@example.mx", updatedAt: t0 + 60_000),
        ], from: "tienda")
        // The export began at t0 + 60 s: it saw neither 1 (deleted since) nor 2 (created after it began)
        // nor 3 (changed at the very moment it began).
        let deleted = try engine.reconcileScan(link: "tienda", kind: .contact, seen: [], snapshotAt: t0 + 60_000)
        #expect(deleted.count == 1)
        let gone = try #require(deleted.first)
        #expect(try engine.remoteIDs(of: gone) == [:])
        let state = try #require(try engine.state(of: gone))
        #expect(state.registers["email"] == .string("ana@example.mx") && state.registers["archived"] == .bool(true))

        // The same scan read page by page (no snapshot) takes both others for deleted.
        #expect(try engine.reconcileScan(link: "tienda", kind: .contact, seen: []).count == 2)
    }

    @Test("a hold made after the snapshot began is kept; one made before, of a record the snapshot did not see, is released")
    func snapshotHolds() throws {
        let clock = ManualClock(milliseconds: t0)
        let engine = try makeEngine(clock)
        try engine.connect(link: "tienda", kind: .shopify)
        try engine.hold(link: "tienda", kind: .contact, remoteID: "7", reason: HoldReason(code: .invalidEmail, message: "no e-mail"), payload: "{}")
        clock.advance(by: 120_000)
        try engine.hold(link: "tienda", kind: .contact, remoteID: "8", reason: HoldReason(code: .invalidEmail, message: "no e-mail"), payload: "{}")
        try engine.reconcileScan(link: "tienda", kind: .contact, seen: [], snapshotAt: t0 + 60_000)
        #expect(try engine.heldRecords().map(\.remoteID) == ["8"])
    }

    @Test("a bulk export under way is remembered per store and kind until it is cleared, across a reopen")
    func bulkJournal() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-journal-\(getpid()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock(milliseconds: t0)
        do {
            let engine = try SyncEngine.open(path: path, clock: clock, seed: 1, logger: .init(label: "test"))
            try engine.connect(link: "tienda", kind: .shopify)
            #expect(try engine.pendingBulkRead(link: "tienda", kind: .contact) == nil)
            try engine.recordBulkRead(link: "tienda", kind: .contact, operation: "gid://shopify/BulkOperation/1")
            try engine.recordBulkRead(link: "tienda", kind: .product, operation: "gid://shopify/BulkOperation/2")
            try engine.recordBulkRead(link: "tienda", kind: .contact, operation: "gid://shopify/BulkOperation/3")
        }
        let engine = try SyncEngine.open(path: path, clock: clock, seed: 1, logger: .init(label: "test"))
        #expect(try engine.pendingBulkRead(link: "tienda", kind: .contact) == "gid://shopify/BulkOperation/3")
        #expect(try engine.pendingBulkRead(link: "otra", kind: .contact) == nil)
        try engine.clearBulkRead(link: "tienda", kind: .contact)
        #expect(try engine.pendingBulkRead(link: "tienda", kind: .contact) == nil)
        #expect(try engine.pendingBulkRead(link: "tienda", kind: .product) == "gid://shopify/BulkOperation/2")
    }
}
