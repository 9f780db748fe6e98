import Connectors
import Foundation
import Logging
import SyncCore
import SyncDaemon
import SyncDriver
import Testing

/// The daemon's reconciliation pass when one store cannot be reached: the others are synced.
@Suite("Daemon: one failing store does not stop the others")
struct StoreFailureTests {
    @Test("a reconciliation pass syncs the healthy Shopify store over loopback HTTP while the WooCommerce store's URL has nothing listening; the failure is counted per store")
    func unreachableStore() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rig = try await DaemonRig(directory: dir, withEmulator: true, seedCustomers: 3)
        var logger = Logger(label: "store-failure-test")
        logger.logLevel = .critical
        // Port 1 on loopback: nothing listens, the connection is refused. Listed first, so a pass that
        // stopped at the first failing store would not reach the healthy one.
        let origin = "http://127.0.0.1:1"
        let down = StoreEndpoint(link: "woo", kind: .woocommerce, transport: StoreClient(
            transport: URLSessionTransport(origin: origin, timeoutSeconds: 5, logger: logger),
            credentials: .wooCommerce(WooCommerceCredentials(consumerKey: "ck_test", consumerSecret: "cs_test", mode: .basic)),
            siteURL: origin, retryPolicy: .none, clock: rig.clock, random: SeededRandom(seed: 5), sleeper: NoSleep(), logger: logger))
        let shopEndpoint = try #require(rig.endpoint)
        let driver = SyncDriver(engine: rig.engine, host: rig.driver.host, endpoints: [down, shopEndpoint], clock: rig.clock, logger: logger)
        let daemon = SyncDaemon(driver: driver, inbox: rig.inbox, stores: [], settings: SyncDaemon.Settings(), clock: rig.clock, logger: logger)

        await daemon.reconcile()

        let shop = try #require(rig.shopify)
        let storeEmails = Set(shop.customers().compactMap { $0["email"]?.string?.lowercased() })
        let ledgerEmails = Set(try rig.ledger.contacts().compactMap { $0.email?.lowercased() })
        #expect(storeEmails.count == 3 && storeEmails.isSubset(of: ledgerEmails), "the healthy store was synced")
        let passes = daemon.metrics.reconciliationPasses
        #expect(passes.partial == 1 && passes.ok == 0 && passes.failed == 0, "a pass that synced only some stores is partial, not failed")
        let counters = daemon.metrics.stores
        #expect(counters["woo"]?.passFailures == 1)
        #expect(counters["woo"]?.lastFailure?.contains("connection failed") == true)
        #expect(counters["woo"]?.lastReconciliation == nil, "the failing store is not reconciled: its lag keeps growing")
        #expect(counters["shopify"]?.lastReconciliation != nil)
        let text = await daemon.metricsText()
        #expect(metricValue(text, #"oorden_sync_store_pass_failures_total{store="woo"}"#) == 1, "\(text)")
        #expect(metricValue(text, #"oorden_sync_store_pass_failures_total{store="shopify"}"#) == 0)
        #expect(metricValue(text, #"oorden_sync_reconciliation_passes_total{result="partial"}"#) == 1)

        // The pass itself reports the failure with its step.
        let summary = try await driver.pass()
        await rig.server?.stop()
        #expect(summary.failures["woo"]?.step == .currencyCheck)
        #expect(summary.failures["woo"]?.kind == .unreachable)
        #expect(summary.failures["shopify"] == nil)
        #expect(summary.isPartial)
    }
}
