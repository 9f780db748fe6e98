import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncEngine
import Testing

/// End to end: the built `oorden-sync` binary, its printed numbers, and what the files it leaves hold.
@Suite("oorden-sync CLI, end to end")
struct CLIDemoTests {
    static let demoArguments = ["--customers", "30", "--products", "6", "--json"]

    /// Checks that `summary` (from `demo --json`) is what the ledger and the saved stores in `dir` contain.
    func verify(_ summary: JSONValue, dir: URL) async throws {
        let ledger = try OordenLedger(path: dir.appendingPathComponent("ledger.sqlite").path, clock: ManualClock(milliseconds: t0))
        let contacts = try ledger.contacts().filter { !$0.archived }
        let products = try ledger.products()
        #expect(summary["oorden"]?["contacts"]?.int == contacts.count)
        #expect(summary["oorden"]?["products"]?.int == products.count)

        // No e-mail or SKU twice anywhere.
        let ledgerEmails = contacts.compactMap { $0.email?.lowercased() }
        #expect(Set(ledgerEmails).count == ledgerEmails.count, "duplicated e-mails in the ledger")
        #expect(Set(products.map(\.sku)).count == products.count, "duplicated SKUs in the ledger")
        let stores = try SavedDemoStores(directory: dir)
        let shopEmails = SavedDemoStores.emails(stores.shopify.customers())
        let wooEmails = SavedDemoStores.emails(stores.woo.customers())
        #expect(Set(shopEmails).count == shopEmails.count, "duplicated e-mails in Shopify")
        #expect(Set(wooEmails).count == wooEmails.count, "duplicated e-mails in WooCommerce")
        #expect(Set(stores.shopifySKUs).count == stores.shopifySKUs.count, "duplicated SKUs in Shopify")
        #expect(Set(stores.wooSKUs).count == stores.wooSKUs.count, "duplicated SKUs in WooCommerce")

        // The printed per-store numbers are what the stores hold.
        #expect(summary["stores"]?["tienda-shopify"]?["customers"]?.int == shopEmails.count)
        #expect(summary["stores"]?["tienda-woo"]?["customers"]?.int == wooEmails.count)
        #expect(summary["stores"]?["tienda-usa"]?["customers"]?.int == stores.usa.customers().count)
        #expect(summary["stores"]?["tienda-shopify"]?["skus"]?.int == Set(stores.shopifySKUs).count)
        #expect(summary["stores"]?["tienda-woo"]?["skus"]?.int == Set(stores.wooSKUs).count)
        #expect(summary["stores"]?["tienda-usa"]?["synced"]?.bool == false)

        // The sync rules: every synced store holds every Oorden contact, and Oorden holds every store
        // customer except the held ones; every SKU is on every synced side.
        let held = try await heldRemoteIDs(dir)
        let heldShopEmails = Set(stores.shopify.customers().filter { held.contains("tienda-shopify:\($0["id"]?.int ?? 0)") }
            .compactMap { $0["email"]?.string?.lowercased() })
        #expect(Set(ledgerEmails).isSubset(of: Set(shopEmails)))
        #expect(Set(ledgerEmails).isSubset(of: Set(wooEmails)))
        #expect(Set(shopEmails).subtracting(heldShopEmails) == Set(ledgerEmails))
        #expect(Set(wooEmails) == Set(ledgerEmails))
        #expect(Set(products.map(\.sku)) == Set(stores.shopifySKUs))
        #expect(Set(products.map(\.sku)) == Set(stores.wooSKUs))
        let heldTotal = summary["held"]?.object?.values.compactMap(\.int).reduce(0, +)
        #expect(heldTotal == held.count)

        // Orders: the printed numbers are the ledger's documents and the stores' orders; every synced
        // store's order is a sales order in Oorden or held with the reason; one is held for its tax rate.
        let orders = try #require(summary["oorden"]?["orders"])
        let salesOrders = try ledger.salesOrders()
        #expect(orders["sales_orders"]?.int == salesOrders.count)
        #expect(orders["open"]?.int == salesOrders.filter { $0.status == .open }.count)
        #expect(orders["invoiced"]?.int == salesOrders.filter { $0.status == .invoiced }.count)
        #expect(orders["cancelled"]?.int == salesOrders.filter { $0.status == .cancelled }.count)
        #expect(orders["sales"]?.int == (try ledger.sales()).count)
        #expect(orders["credit_notes"]?.int == (try ledger.creditNotes()).count)
        #expect(summary["stores"]?["tienda-shopify"]?["orders"]?.int == stores.shopify.orders().count)
        #expect(summary["stores"]?["tienda-woo"]?["orders"]?.int == stores.woo.orders().count)
        let heldOrders = try #require(summary["held_orders"]?.array)
        #expect(stores.shopify.orders().count + stores.woo.orders().count == salesOrders.count + heldOrders.count)
        #expect(Set(salesOrders.compactMap { $0.externalReference.map { "\($0)" } }).count == salesOrders.count, "an order imported twice")
        let taxHeld = heldOrders.filter { $0["code"]?.string == "missing_tax" }
        #expect(taxHeld.count == 1)
        #expect(taxHeld.first?["store"]?.string == "tienda-woo")
        #expect(taxHeld.first?["reason"]?.string?.contains("11 %") == true)
        let shopStatuses = Set(summary["stores"]?["tienda-shopify"]?["order_statuses"]?.object?.keys.map { $0 } ?? [])
        #expect(shopStatuses.isSuperset(of: ["pending", "paid", "fulfilled", "cancelled", "refunded", "partially_refunded"]))
        #expect(salesOrders.contains { $0.status == .cancelled } && salesOrders.contains { $0.status == .invoiced } && salesOrders.contains { $0.status == .open })
        let saleTotals = Dictionary(uniqueKeysWithValues: try ledger.sales().map { ($0.id, $0.total) })
        #expect(try ledger.creditNotes().contains { $0.amount < (saleTotals[$0.saleID] ?? .zero) }, "a partial refund is a credit note for less than its sale")

        // The edited contacts ended as the demo says, on every side.
        let edits = try #require(summary["edits"])
        let both = try #require(edits["both_sides"]?["email"]?.string)
        let conflict = try #require(edits["conflict"]?["email"]?.string)
        #expect(try ledger.contact(email: both)?.lastName == edits["store_last_name"]?.string)
        #expect(try ledger.contact(email: both)?.phone == edits["oorden_phone"]?.string)
        #expect(edits["both_sides"]?["shopify_phone"] == edits["oorden_phone"])
        #expect(try ledger.contact(email: conflict)?.phone == edits["conflict_phone"]?.string)
        #expect(edits["conflict"]?["shopify_phone"] == edits["conflict_phone"])
        #expect(edits["conflict"]?["woocommerce_phone"] == edits["conflict_phone"])
        let created = try #require(edits["created"]?["email"]?.string)
        #expect(shopEmails.contains(created) && wooEmails.contains(created))
        if let fixed = edits["fixed"]?["email"]?.string {
            #expect(try ledger.contact(email: fixed) != nil)
        }
        if let sku = edits["repriced"]?["sku"]?.string {
            #expect(try ledger.product(sku: sku)?.price.formatted(scale: 2) == edits["repriced"]?["new_price"]?.string)
            #expect(edits["repriced"]?["shopify_price"] == edits["repriced"]?["new_price"])
        }
    }

    /// `SIDE:ID` of every held record, from `problems --json`.
    func heldRemoteIDs(_ dir: URL) async throws -> Set<String> {
        let cli = try CLI.locate()
        let problems = try await cli.succeed(["problems", "--json", "--engine", dir.appendingPathComponent("engine.sqlite").path]).json()
        let items = try #require(problems.array)
        return Set(items.compactMap { p in p["side"]?.string.flatMap { side in p["remote_id"]?.string.map { "\(side):\($0)" } } })
    }

    @Test("demo --json: the printed numbers are what the ledger and the stores hold; a rerun resumes without duplicates")
    func demoTwice() async throws {
        let cli = try CLI.locate()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }

        let first = try await cli.succeed(["demo", "--dir", dir.path] + Self.demoArguments).json()
        #expect(first["resumed"]?.bool == false)
        #expect(first["round"]?.int == 1)
        #expect((first["import"]?["creates"]?.int ?? 0) > 0)
        #expect(first["held"]?["missing_last_name"]?.int == 2, "Chuy and Paco stay held; Lupita is fixed")
        #expect(first["held"]?["missing_tax"]?.int == 1, "the order taxed at 11 %")
        // On a new directory the ledger holds exactly what the two passes created.
        for (key, total) in [("sales_orders", "sales_orders"), ("sales", "sales"), ("credit_notes", "credit_notes"), ("cancellations", "cancelled")] {
            let created = (first["import"]?["orders"]?[key]?.int ?? 0) + (first["second_sync"]?["orders"]?[key]?.int ?? 0)
            #expect(created == first["oorden"]?["orders"]?[total]?.int, "\(key)")
        }
        #expect((first["oorden"]?["orders"]?["sales_orders"]?.int ?? 0) > 0)
        try await verify(first, dir: dir)

        let second = try await cli.succeed(["demo", "--dir", dir.path] + Self.demoArguments).json()
        #expect(second["resumed"]?.bool == true)
        #expect(second["round"]?.int == 2)
        #expect(second["import"]?["creates"]?.int == 0, "the resumed import must find everything in sync")
        #expect(second["import"]?["stores"]?["tienda-shopify"]?["created"]?.int == 0)
        #expect(second["import"]?["stores"]?["tienda-woo"]?["created"]?.int == 0)
        #expect(second["import"]?["oorden"]?["created"]?.int == 0)
        #expect(second["edits"]?["both_sides"]?["email"] != first["edits"]?["both_sides"]?["email"])
        #expect(second["edits"]?["created"]?["email"] != first["edits"]?["created"]?["email"])
        // Only the contacts this round's edits brought in are new: the one created in Oorden and the
        // held shopper fixed in Shopify.
        let added = 1 + (second["edits"]?["fixed"]?.isNull == false ? 1 : 0)
        #expect(second["oorden"]?["contacts"]?.int == (first["oorden"]?["contacts"]?.int ?? 0) + added)
        #expect(second["oorden"]?["products"]?.int == first["oorden"]?["products"]?.int)
        #expect(second["held"]?["missing_last_name"]?.int == 1)
        #expect(second["oorden"]?["orders"] == first["oorden"]?["orders"], "a resumed run imports no order twice")
        try await verify(second, dir: dir)
    }

    @Test("demo text output says when it resumed; a damaged store snapshot is refused with what to do")
    func demoTextAndDamage() async throws {
        let cli = try CLI.locate()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try await cli.succeed(["demo", "--dir", dir.path, "--customers", "20", "--products", "4"]).stdout
        #expect(text.contains("Initial import"))
        #expect(!text.contains("Resumed"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("stores/tienda-woo.json").path))

        let woo = dir.appendingPathComponent("stores/tienda-woo.json")
        let saved = try Data(contentsOf: woo)
        try Data(saved.prefix(saved.count / 2)).write(to: woo)
        let refused = try await cli.run(["demo", "--dir", dir.path, "--json"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("tienda-woo.json"))
        try saved.write(to: woo)

        let again = try await cli.succeed(["demo", "--dir", dir.path, "--customers", "20", "--products", "4"]).stdout
        #expect(again.contains("Resumed"))
        #expect(again.contains("round 2"))
    }

    @Test("inspect --json, problems --json and export/import against a demo directory")
    func diagnostics() async throws {
        let cli = try CLI.locate()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let summary = try await cli.succeed(["demo", "--dir", dir.path] + Self.demoArguments).json()
        let engine = dir.appendingPathComponent("engine.sqlite").path

        // inspect: the contact edited on two sides shows both edits and links to both stores.
        let email = try #require(summary["edits"]?["both_sides"]?["email"]?.string)
        let inspection = try await cli.succeed(["inspect", "contact", "--email", email, "--engine", engine, "--json"]).json()
        #expect(inspection["kind"]?.string == "contact")
        #expect(inspection["links"]?["tienda-shopify"] != nil)
        #expect(inspection["links"]?["tienda-woo"] != nil)
        let fields = inspection["fields"]?.array ?? []
        let lastName = fields.first { $0["name"]?.string == "lastName" || $0["name"]?.string == "last_name" }
        #expect(lastName?["value"]?.string?.contains("Ortega") == true)
        let missing = try await cli.run(["inspect", "contact", "--email", "nadie@ejemplo.mx", "--engine", engine, "--json"])
        #expect(missing.status != 0)

        // problems: one entry per held record, with the code the summary counts.
        let problems = try #require(try await cli.succeed(["problems", "--json", "--engine", engine]).json().array)
        var byCode: [String: Int] = [:]
        for p in problems { byCode[p["code"]?.string ?? "?", default: 0] += 1 }
        #expect(byCode == (summary["held"]?.object ?? [:]).mapValues { $0.int ?? -1 })

        // export, import into a fresh engine database, export again: the same registers.
        let archive = dir.appendingPathComponent("state.json.gz").path
        let exported = try await cli.succeed(["export", "--out", archive, "--engine", engine]).stdout
        let registers = try #require(Self.firstNumber(after: "Wrote ", in: exported))
        #expect(registers > 0)
        let fresh = dir.appendingPathComponent("fresh.sqlite").path
        do { _ = try SyncEngine.open(path: fresh, clock: ManualClock(milliseconds: t0), seed: 9, logger: .init(label: "test")) }
        let imported = try await cli.succeed(["import", archive, "--engine", fresh]).stdout
        #expect(Self.firstNumber(after: "Merged ", in: imported) == registers)
        let again = try await cli.succeed(["export", "--out", dir.appendingPathComponent("again.json.gz").path, "--engine", fresh]).stdout
        #expect(Self.firstNumber(after: "Wrote ", in: again) == registers)
        let twice = try await cli.succeed(["import", archive, "--engine", fresh]).stdout
        #expect(twice.contains(": 0 fields changed"), "a second import changes nothing: \(twice)")
        // The copy has the entity's registers (not the store links' lookup tables): inspect it by id.
        let entity = try #require(inspection["entity"]?.string)
        let copied = try await cli.succeed(["inspect", "contact", entity, "--engine", fresh, "--json"]).json()
        // Same values and stamps; the writer's name needs the store links, which stay behind.
        func fieldStamps(_ i: JSONValue) -> [String] {
            (i["fields"]?.array ?? []).map { "\($0["name"]?.string ?? "") \($0["value"]?.string ?? "") \($0["stamp"]?.string ?? "")" }
        }
        #expect(!fieldStamps(inspection).isEmpty)
        #expect(fieldStamps(copied) == fieldStamps(inspection))

        // A damaged archive is refused.
        try Data("not gzip".utf8).write(to: URL(fileURLWithPath: archive))
        #expect(try await cli.run(["import", archive, "--engine", fresh]).status != 0)
    }

    /// The integer right after `prefix` in `text` (`"Wrote 812 registers"` → 812).
    static func firstNumber(after prefix: String, in text: String) -> Int? {
        guard let range = text.range(of: prefix) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
