import Foundation
import SyncCore
import SyncDriver
import SyncEngine
import Testing

/// A store record stamped in the future (a bug, a broken clock, a forged delivery) must not outrank
/// every later real edit: its time is kept as the store's present (docs/sync-semantics.md).
@Suite("Store times in the future")
struct FutureStoreTimeTests {
    /// 2099-06-01T00:00:00Z minus 2026-11-29T15:00:00Z, the skew that makes the emulator stamp 2099.
    static let toTheYear2099: Int64 = 4_083_955_200_000 - t0

    @Test("a customer stamped 2099, then edited for real: the real edit wins, in incremental and complete pulls")
    func futureUpdatedAtDoesNotPoison() async throws {
        let w = try World(shopifyCustomers: 3, shopifyProducts: 0, withWoo: false)
        _ = try await w.driver.pass()
        let customer = try #require(w.shopify.customers().first { World.validEmails([$0]).count == 1 })
        let id = try #require(customer["id"]?.int)
        let email = try #require(customer["email"]?.string?.lowercased())

        // The store writes the record with its clock in 2099 (no request is answered meanwhile).
        w.clock.advance(by: 60_000)
        w.shopify.clockSkewMilliseconds = Self.toTheYear2099
        _ = try w.shopify.updateCustomer(id: id, ["first_name": "Futuro"])
        w.shopify.clockSkewMilliseconds = 0
        #expect(w.shopify.customers().first { $0["id"]?.int == id }?["updated_at"]?.string?.hasPrefix("2099") == true)
        _ = try await w.driver.pass()
        #expect(try w.ledger.contact(email: email)?.firstName == "Futuro", "the change itself is taken")
        #expect(w.engine.futureStoreTimesClamped == 1, "and reported")

        // The merchant edits the customer for real: an incremental pull sees it and it wins.
        w.clock.advance(by: 60_000)
        _ = try w.shopify.updateCustomer(id: id, ["first_name": "Presente"])
        _ = try await w.driver.pass(polling: .incremental)
        #expect(try w.ledger.contact(email: email)?.firstName == "Presente")

        // And again, through a complete scan.
        w.clock.advance(by: 60_000)
        _ = try w.shopify.updateCustomer(id: id, ["first_name": "Después"])
        _ = try await w.driver.pass(polling: .complete)
        #expect(try w.ledger.contact(email: email)?.firstName == "Después")
        #expect(try w.engine.heldRecords().isEmpty)
    }
}
