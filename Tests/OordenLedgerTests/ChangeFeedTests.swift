import OordenLedger
import SyncCore
import Testing

@Suite struct ChangeFeedTests {
    @Test func cursorsPageThroughEveryChangeInOrder() throws {
        let f = try LedgerFixture()
        for i in 0..<7 {
            f.clock.advance(by: 3)
            try f.ledger.createContact(ContactDraft(firstName: "C\(i)", lastName: "X", email: "c\(i)@example.mx"))
        }
        var cursor: Int64 = 0
        var seen: [LedgerChange] = []
        while true {
            let page = try f.ledger.changes(after: cursor, limit: 3)
            if page.isEmpty { break }
            #expect(page.count <= 3)
            seen += page
            cursor = page.last!.sequence
        }
        #expect(seen.map(\.sequence) == Array(1...9))
        #expect(seen.map(\.kind) == [.company, .tax] + Array(repeating: .contact, count: 7))
        let times = seen.filter { $0.kind == .contact }.map(\.time)
        #expect(times == (1...7).map { 1_796_000_000_000 + Int64($0) * 3 })
        #expect(try f.ledger.changes(after: cursor, limit: 10).isEmpty)
        #expect(try f.ledger.changes(after: 0, limit: 0).isEmpty)
        #expect(try f.ledger.latestChangeSequence() == 9)
    }

    @Test func originsTellSyncWritesFromUserWrites() throws {
        let f = try LedgerFixture()
        let start = try f.ledger.latestChangeSequence()
        let sync = LedgerOrigin.sync(replica: "shopify-main")
        let p = try f.ledger.createProduct(ProductDraft(sku: "A", name: "Taza", price: ExactDecimal(10), taxID: f.iva.id), origin: sync)
        try f.ledger.recordMovement(productID: p.id, quantity: 5, kind: .purchase)
        let order = try f.ledger.createSalesOrder(SalesOrderDraft(currency: "MXN", lines: [SalesOrderLineDraft(productID: p.id, quantity: 2, unitPrice: ExactDecimal(10))]), origin: sync)
        try f.ledger.registerSale(orderID: order.id, origin: sync)
        try f.ledger.updateProduct(p.id) { $0.name = "Taza grande" }

        let changes = try f.ledger.changes(after: start, limit: 100)
        let summary = changes.map { "\($0.kind.rawValue):\($0.action.rawValue):\($0.origin)" }
        #expect(summary == [
            "product:created:sync:shopify-main",
            "inventory_movement:created:user",
            "sales_order:created:sync:shopify-main",
            "inventory_movement:created:sync:shopify-main",
            "sale:created:sync:shopify-main",
            "sales_order:invoiced:sync:shopify-main",
            "inventory_movement:created:sync:shopify-main",
            "inventory_movement:created:sync:shopify-main",
            "product:updated:user",
        ])
        let movements = try f.ledger.movements(productID: p.id)
        #expect(movements.map(\.origin.isSync) == [false, true, true, true])
        #expect(changes.filter { !$0.origin.isSync }.map(\.kind) == [.inventoryMovement, .product])
    }

    @Test func originTextRoundTrips() {
        #expect(LedgerOrigin(rawValue: "user") == .user)
        #expect(LedgerOrigin(rawValue: "sync:woo-1")?.replica == "woo-1")
        #expect(LedgerOrigin(rawValue: "sync:") == nil)
        #expect(LedgerOrigin(rawValue: "robot") == nil)
        #expect(LedgerOrigin.sync(replica: "mi tienda").rawValue == "sync:mi_tienda")
        #expect(LedgerOrigin.user.replica == nil)
    }

    @Test func timesComeFromTheInjectedClock() throws {
        let f = try LedgerFixture()
        f.clock.set(1_700_000_000_123)
        let c = try f.ledger.createContact(ContactDraft(firstName: "Ana", email: "ana@example.mx"))
        #expect(c.createdAt == 1_700_000_000_123)
        #expect(try f.ledger.changes(after: 0, limit: 10).last?.time == 1_700_000_000_123)
    }
}
