import Foundation
import Logging
import OordenLedger
import StoreEmulators
import SyncCore
import SyncEngine
import Testing

/// SIGKILL at random moments: the real `oorden-sync sync --once` binary is killed again and again during
/// the initial import and during a stream of edits on every side, restarted each time, and at the end
/// every record exists exactly once on every side with the converged value of every edited field.
///
/// Size knobs (environment): `OORDEN_CRASH_RECORDS` (customers per store; products are a third of it),
/// `OORDEN_CRASH_KILLS` (at least this many kills), `OORDEN_CRASH_SEED`.
@Suite("Crash safety: the sync binary killed with SIGKILL (real loopback HTTP)", .serialized)
struct CrashSafetyTests {
    struct Edit {
        var side: String
        var key: String
        var field: String
        var value: String
    }

    @Test("≥ 20 SIGKILLs during import and edits: every record once on every side, every field converged")
    func killedAndRestarted() async throws {
        let env = ProcessInfo.processInfo.environment
        let perStore = env["OORDEN_CRASH_RECORDS"].flatMap(Int.init) ?? 300
        let minimumKills = env["OORDEN_CRASH_KILLS"].flatMap(Int.init) ?? 20
        var random = SeededRandom(seed: env["OORDEN_CRASH_SEED"].flatMap(UInt64.init) ?? 0xC0FFEE)
        var logger = Logger(label: "crash-test")
        logger.logLevel = .critical
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-crash-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let binary = try OordenSyncBinary.locate().copied(to: dir)
        let rig = try await CrashRig(directory: dir, logger: logger)
        let log = dir.appendingPathComponent("children.log")

        // Initial data: customers and products in each store (a few customers in both), some in Oorden.
        let products = max(perStore / 3, 1)
        for i in 0..<perStore {
            try rig.shopify.createCustomer(email: "s\(i)@crash.test", firstName: "Sofía\(i)", lastName: "Shop")
            try rig.woo.createCustomer(email: "w\(i)@crash.test", firstName: "Walter\(i)", lastName: "Woo")
        }
        for i in 0..<max(perStore / 20, 1) {
            try rig.shopify.createCustomer(email: "b\(i)@crash.test", firstName: "Berta\(i)", lastName: "Both")
            try rig.woo.createCustomer(email: "b\(i)@crash.test", firstName: "Berta\(i)", lastName: "Both")
            _ = try rig.ledger.createContact(ContactDraft(firstName: "Olga\(i)", lastName: "Oorden", email: "o\(i)@crash.test"))
        }
        for i in 0..<products {
            try rig.shopify.createProduct(title: "Camisa \(i)", variants: [ShopifyVariantInput(sku: "S-\(i)", price: ExactDecimal(100 + i))])
            try rig.woo.createSimpleProduct(name: "Taza \(i)", sku: "W-\(i)", regularPrice: "\(50 + i).00", stock: nil)
        }
        for i in 0..<max(products / 10, 1) {
            _ = try rig.ledger.createProduct(ProductDraft(sku: "O-\(i)", name: "Servicio \(i)", price: ExactDecimal(300 + i)))
        }
        let totalContacts = Set(rig.shopifyContacts().counts.keys).union(rig.wooContacts().counts.keys).union(try rig.ledgerContacts().counts.keys).count
        let totalProducts = Set(rig.shopifyProducts().counts.keys).union(rig.wooProducts().counts.keys).union(try rig.ledgerProducts().counts.keys).count

        var kills = 0
        var completed = 0
        var runs = 0
        // The kill window widens with every kill (and becomes the length of a run that finished), so the
        // first kills land in the initial pulls and later ones in Oorden writes, store pushes and edit passes.
        var window: Int64 = 1_500
        var edits: [Edit] = []
        var edited: Set<String> = []
        let args = ["sync", "--once", "--config", rig.configPath]
        let started = ContinuousClock.now
        while kills < minimumKills {
            runs += 1
            if runs > minimumKills * 4 { break }
            // After the first few kills, every run is preceded by edits on every side.
            if kills >= 3 { edits += try makeEdits(rig, random: &random, edited: &edited, round: runs) }
            let delay = Int64(random.next() % UInt64(window)) + 30
            let runStart = ContinuousClock.now
            switch try await binary.run(args, environment: rig.environment, logFile: log, killAfterMilliseconds: delay) {
            case .killed:
                kills += 1
                window += 300
            case .crashed(let signal):
                Issue.record("oorden-sync crashed with signal \(signal); see \(log.path)")
            case .exited(let status):
                #expect(status == 0, "a sync run failed; see \(log.path)")
                completed += 1
                let took = (ContinuousClock.now - runStart).components
                // A run that finished sets the window to its own length, so the next kill lands inside a run.
                window = max(300, took.seconds * 1000 + took.attoseconds / 1_000_000_000_000_000)
            }
        }
        #expect(kills >= minimumKills, "only \(kills) of \(runs) runs were killed mid-way")

        // Let it finish: a complete scan (WooCommerce customers are read only by those), then incremental
        // passes until nothing changes.
        for extra in [["--full"], [], []] {
            let ending = try await binary.run(args + extra, environment: rig.environment, logFile: log, killAfterMilliseconds: nil)
            #expect(ending == .exited(0), "see \(log.path)")
        }
        let elapsed = ContinuousClock.now - started

        // Exactly once on every side.
        let shopC = rig.shopifyContacts(), wooC = rig.wooContacts(), ledC = try rig.ledgerContacts()
        let shopP = rig.shopifyProducts(), wooP = rig.wooProducts(), ledP = try rig.ledgerProducts()
        var duplicates = 0
        for (side, counts) in [("shopify", shopC.counts), ("woo", wooC.counts), ("oorden", ledC.counts),
                               ("shopify", shopP.counts), ("woo", wooP.counts), ("oorden", ledP.counts)] {
            let twice = counts.filter { $0.value > 1 }
            duplicates += twice.values.reduce(0) { $0 + $1 - 1 }
            #expect(twice.isEmpty, "\(side) holds duplicates: \(twice.sorted { $0.key < $1.key }.prefix(10))")
        }
        #expect(shopC.counts.count == totalContacts && wooC.counts.count == totalContacts && ledC.counts.count == totalContacts,
                "contacts: shopify \(shopC.counts.count), woo \(wooC.counts.count), oorden \(ledC.counts.count), expected \(totalContacts)")
        #expect(shopP.counts.count == totalProducts && wooP.counts.count == totalProducts && ledP.counts.count == totalProducts,
                "products: shopify \(shopP.counts.count), woo \(wooP.counts.count), oorden \(ledP.counts.count), expected \(totalProducts)")

        // Every field holds the same value on every side, and every edit's value won (each record was edited once).
        var diverged: [String] = []
        for (email, view) in ledC.fields where shopC.fields[email] != view || wooC.fields[email] != view {
            diverged.append("\(email): oorden \(view) shopify \(shopC.fields[email].map(String.init(describing:)) ?? "-") woo \(wooC.fields[email].map(String.init(describing:)) ?? "-")")
        }
        for (sku, name) in ledP.names where shopP.names[sku] != name || wooP.names[sku] != name {
            diverged.append("\(sku): oorden \(name) shopify \(shopP.names[sku] ?? "-") woo \(wooP.names[sku] ?? "-")")
        }
        #expect(diverged.isEmpty, "\(diverged.count) records diverge: \(diverged.prefix(10))")
        var lost: [String] = []
        for e in edits {
            let actual: String?
            switch e.field {
            case "first": actual = ledC.fields[e.key]?.first
            case "last": actual = ledC.fields[e.key]?.last
            case "phone": actual = ledC.fields[e.key]?.phone
            default: actual = ledP.names[e.key]
            }
            if actual != e.value { lost.append("\(e.side) \(e.key).\(e.field) = \(e.value), oorden has \(actual ?? "nil")") }
        }
        #expect(lost.isEmpty, "\(lost.count) of \(edits.count) edits lost: \(lost.prefix(10))")

        let engine = try SyncEngine.open(path: dir.appendingPathComponent("engine.sqlite").path, clock: SystemWallClock(), seed: 1, logger: logger)
        let held = try engine.heldRecords()
        #expect(held.isEmpty, "held: \(held.prefix(5).map { "\($0.link) \($0.remoteID) \($0.reason.message)" })")

        print("CRASH records=\(totalContacts + totalProducts) contacts=\(totalContacts) products=\(totalProducts) runs=\(runs) kills=\(kills) "
              + "completed=\(completed) edits=\(edits.count) duplicates=\(duplicates) diverged=\(diverged.count) lost_edits=\(lost.count) "
              + "seconds=\(elapsed.components.seconds)")
        await rig.shutdown()
        try? FileManager.default.removeItem(at: binary.executable)
        if diverged.isEmpty, lost.isEmpty, duplicates == 0 { try? FileManager.default.removeItem(at: dir) }
    }

    /// A few edits on every side, each of a record no earlier edit touched (so the expected final value is
    /// that edit's, whatever order the sides are read in).
    func makeEdits(_ rig: CrashRig, random: inout SeededRandom, edited: inout Set<String>, round: Int) throws -> [Edit] {
        var out: [Edit] = []
        func pick(_ keys: [String]) -> String? {
            let free = keys.filter { !edited.contains($0) }.sorted()
            guard !free.isEmpty else { return nil }
            let key = free[Int(random.next() % UInt64(free.count))]
            edited.insert(key)
            return key
        }
        for n in 0..<2 {
            let tag = "R\(round)n\(n)"
            let customers = rig.shopify.customers()
            if let email = pick(customers.compactMap { $0["email"]?.string?.lowercased() }),
               let id = customers.first(where: { $0["email"]?.string?.lowercased() == email })?["id"]?.int {
                try rig.shopify.updateCustomer(id: id, ["last_name": .string("Apellido\(tag)")])
                out.append(Edit(side: "shopify", key: email, field: "last", value: "Apellido\(tag)"))
            }
            let wooCustomers = rig.woo.customers()
            if let email = pick(wooCustomers.compactMap { $0["email"]?.string?.lowercased() }),
               let id = wooCustomers.first(where: { $0["email"]?.string?.lowercased() == email })?["id"]?.int {
                try rig.woo.editCustomer(id, ["first_name": .string("Nombre\(tag)")])
                out.append(Edit(side: "woo", key: email, field: "first", value: "Nombre\(tag)"))
            }
            let contacts = try rig.ledger.contacts(includeArchived: false)
            if let email = pick(contacts.compactMap { $0.email?.lowercased() }),
               let contact = contacts.first(where: { $0.email?.lowercased() == email }) {
                let phone = "+52155\(String(format: "%04d%02d", round, n))"
                _ = try rig.ledger.updateContact(contact.id) { $0.phone = phone }
                out.append(Edit(side: "oorden", key: email, field: "phone", value: phone))
            }
            let products = rig.shopify.products()
            let skus = products.compactMap { $0["variants"]?.array?.first?["sku"]?.string }
            if let sku = pick(skus), let id = products.first(where: { $0["variants"]?.array?.first?["sku"]?.string == sku })?["id"]?.int {
                try rig.shopify.updateProduct(id: id, ["title": .string("Producto \(tag)")])
                out.append(Edit(side: "shopify", key: sku, field: "name", value: "Producto \(tag)"))
            }
            let wooProducts = rig.woo.products()
            if let sku = pick(wooProducts.compactMap { $0["sku"]?.string }),
               let id = wooProducts.first(where: { $0["sku"]?.string == sku })?["id"]?.int {
                try rig.woo.editProduct(id, ["name": .string("Artículo \(tag)")])
                out.append(Edit(side: "woo", key: sku, field: "name", value: "Artículo \(tag)"))
            }
        }
        return out
    }
}
