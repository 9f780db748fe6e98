import ArgumentParser
import Connectors
import Foundation
import Logging
import OordenLedger
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine

/// `oorden-sync demo`: the whole product on one machine, against local store emulators.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run OordenSync against local Shopify and WooCommerce emulators and show what it does.",
        discussion: """
            Starts a Shopify and a WooCommerce emulator on free loopback ports with seeded Mexican-market data \
            (and a third store in USD, to show the currency refusal), creates an Oorden company ledger in DIR, \
            imports both stores (customers, products and orders in every state) with a progress display, makes concurrent edits on every side, syncs again and \
            prints what synced (contacts, products, sales orders, sales, cancellations, credit notes), what was held and why, and one contact's per-field clocks. The stores are saved in \
            DIR/stores; running the demo again with the same --dir resumes them and makes a new round of edits.
            """
    )

    @Option(help: "Where the demo keeps its company ledger and engine database.")
    var dir: String = "oorden-demo"

    @Option(help: "Customers to generate in the Shopify store (the WooCommerce store gets two thirds as many).")
    var customers: Int = 240

    @Option(help: "Products to generate in the Shopify store (1-3 variants each).")
    var products: Int = 40

    @Option(help: "Orders to generate in the Shopify store, cycling through every state (the WooCommerce store gets two thirds as many, at least 7, plus a partial refund and an order taxed at a rate Oorden lacks).")
    var orders: Int = 30

    @Option(help: "Seed for the generated data.")
    var seed: UInt64 = 2026

    @Flag(help: "Print only the closing summary, as JSON (counts per side, held records by code, the edited contacts).")
    var json = false

    func validate() throws {
        guard (1...5_000).contains(customers) else { throw ValidationError("--customers must be between 1 and 5000, got \(customers).") }
        guard (1...2_000).contains(products) else { throw ValidationError("--products must be between 1 and 2000, got \(products).") }
        guard (0...1_000).contains(orders) else { throw ValidationError("--orders must be between 0 and 1000, got \(orders).") }
    }

    func run() async throws {
        let run = try DemoRun(directory: dir, customers: customers, products: products, orders: orders, seed: seed, json: json)
        try await run.execute()
    }
}
