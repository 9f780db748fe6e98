import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine
import Testing

@Suite("Daemon: a stored delivery wakes the idle run loop")
struct DaemonWakeTests {
    @Test("with a 10-minute idle wait, a delivery still reaches the ledger at once, and stop() ends the wait")
    func storedDeliveryWakesRunLoop() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: false)
        var logger = Logger(label: "daemon-wake-test")
        logger.logLevel = .warning
        var settings = SyncDaemon.Settings()
        settings.idleMilliseconds = 600_000
        settings.reconcileOnStart = false
        let driver = SyncDriver(engine: rig.engine, host: OordenLedgerHost(ledger: rig.ledger), endpoints: [], clock: rig.clock, logger: logger)
        let daemon = SyncDaemon(driver: driver, inbox: rig.inbox,
                                stores: [DaemonRig.storeSecrets[0]],
                                settings: settings, clock: rig.clock, logger: logger)
        let port = try await daemon.start()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await daemon.run() }
            // Let the loop find the inbox empty and start its idle wait.
            try await Task.sleep(for: .milliseconds(200))
            for (n, email) in ["wake1@ejemplo.mx", "wake2@ejemplo.mx"].enumerated() {
                let body = shopifyCustomerBody(id: 9200 + n, email: email, first: "Luz", last: "Vega")
                let headers = shopifyHeaders(topic: "customers/create", webhookID: "wake-\(n)", body: body)
                #expect(try await httpRequest("http://127.0.0.1:\(port)/webhooks/shopify/shopify", headers: headers, body: body).0 == 200)
                // Bounded at 10 s of real time, far below the idle wait: only the wake-up can make it.
                for _ in 0..<1_000 where try rig.ledger.contact(email: email) == nil { try await Task.sleep(for: .milliseconds(10)) }
                #expect(try rig.ledger.contact(email: email) != nil, "delivery \(n + 1) waited for the idle timeout")
            }
            await daemon.stop()
            try await group.waitForAll()
        }
        #expect(try rig.inbox.pending(limit: 10).isEmpty)
        await rig.shutdown()
    }
}
