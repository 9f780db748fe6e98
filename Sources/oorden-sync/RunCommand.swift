import ArgumentParser
import Dispatch
import Foundation
import Logging
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine

/// `oorden-sync run --config FILE [--register-webhooks URL]`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the sync daemon: webhook receiver, inbox processing and periodic reconciliation.",
        discussion: """
            Listens on daemon.listen_host:daemon.listen_port for signed webhooks (POST /webhooks/{shopify|woocommerce}/{store}), \
            keeps them in the durable inbox (daemon.inbox), processes them, and runs a reconciliation pass every \
            polling.interval_seconds: incremental pulls from per-store cursors, and a complete scan (which also detects \
            deletions) every daemon.complete_scan_interval_seconds. GET /healthz and GET /metrics (Prometheus) are on the same port. SIGTERM or SIGINT \
            stops intake, finishes the current step and exits 0. See docs/operations.md.
            """
    )

    @Option(help: "The configuration file (see docs/configuration.md).")
    var config: String

    @Option(name: .customLong("register-webhooks"), help: "Register the needed webhook topics with each store on start; the public base URL that reaches this daemon (e.g. https://sync.example.mx).")
    var registerWebhooks: String?

    @Flag(help: "Log at debug level.")
    var verbose = false

    func run() async throws {
        let configuration = try SyncConfiguration.load(path: config)
        var logger = Logger(label: "oorden-sync.run")
        logger.logLevel = verbose ? .debug : .info
        let clock = SystemWallClock()
        // One process at a time per engine: a second sync (or a sync beside `run`) is told who holds it.
        let company = try OpenedCompany.open(configuration, clock: clock, logger: logger)
        defer { withExtendedLifetime(company) {} }
        let (engine, host) = (company.engine, company.host)
        let environment = ProcessInfo.processInfo.environment
        let probe = SyncDriver(engine: engine, host: host, endpoints: [], clock: clock, logger: logger)
        var endpoints: [StoreEndpoint] = []
        var secrets: [WebhookReceiver.StoreSecret] = []
        // OAuth 1.0a nonces come from this seed: fresh per run, so a run started within the same second
        // as the last one never repeats a nonce (WooCommerce refuses a replayed one).
        let nonceSeed = UInt64.random(in: 1...UInt64.max)
        for (i, store) in configuration.stores.enumerated() {
            let ep = try store.endpoint(environment: environment, clock: clock, seed: nonceSeed &+ UInt64(i), logger: logger)
            let secret = try store.webhookSecret(environment: environment)
            if try engine.link(named: store.name) == nil {
                // A new store that cannot be asked its currency is left out of this run, not the
                // others: it is connected when a later start reaches it.
                let refusal: String?
                do {
                    refusal = try await probe.currencyRefusal(ep)
                } catch {
                    guard let failure = StoreFailure(store: store.name, step: .currencyCheck, error: error) else { throw error }
                    logger.error("store not connected: its currency could not be read (see error); fix it and restart; the other stores run",
                                 metadata: ["store": "\(store.name)", "url": "\(store.url)", "error": "\(failure.message)"])
                    continue
                }
                if let refusal {
                    logger.error("store refused", metadata: ["store": "\(store.name)", "reason": "\(refusal)"])
                    continue
                }
                try engine.connect(link: store.name, kind: store.kind, createsKinds: store.creates, archivesOnDelete: store.archiveOnDelete)
            }
            endpoints.append(ep)
            secrets.append(secret)
        }
        var wooSecrets: [String: String] = [:]
        for store in configuration.stores where store.kind.recordFormat.subscribesWithSecret && endpoints.contains(where: { $0.link == store.name }) {
            wooSecrets[store.name] = try store.webhookSecretValue(environment: environment)
        }
        // Every reconciliation pass repairs the subscriptions (WooCommerce disables a webhook after failed deliveries).
        let webhookPlan = WebhookRegistration.Plan(baseURL: registerWebhooks, wooCommerceSecrets: wooSecrets)
        if let base = registerWebhooks {
            for ep in endpoints {
                let added = try await WebhookRegistration.register(ep.platform(clock: clock), baseURL: base, secret: wooSecrets[ep.link] ?? "")
                logger.info("webhooks registered", metadata: ["store": "\(ep.link)", "added": "\(added.joined(separator: ","))"])
            }
        }
        let inbox = try WebhookInbox(path: configuration.resolve(configuration.daemon.inboxPath))
        let driver = SyncDriver(engine: engine, host: host, endpoints: endpoints, clock: clock, logger: logger, pushBackoff: .standard)
        let settings = configuration.daemonSettings()
        let daemon = SyncDaemon(driver: driver, inbox: inbox, stores: secrets, settings: settings, clock: clock, logger: logger, webhooks: webhookPlan)
        let port = try await daemon.start()
        print("oorden-sync run: listening on \(settings.listenHost):\(port); \(endpoints.count) store(s); reconciliation every \(configuration.pollIntervalSeconds) s")

        // Signals are the CLI's edge: each one asks the daemon to stop; run() then returns.
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let sources = [SIGTERM, SIGINT].map { sig -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                logger.info("signal received; stopping", metadata: ["signal": "\(sig)"])
                Task { await daemon.stop() }
            }
            source.resume()
            return source
        }
        await daemon.run()
        sources.forEach { $0.cancel() }
        print("oorden-sync run: stopped")
    }
}

extension SyncConfiguration.Store {
    /// The webhook secret itself, for registering WooCommerce webhooks (never printed).
    func webhookSecretValue(environment: [String: String]) throws -> String {
        _ = try webhookSecret(environment: environment)
        return environment[webhookSecretVariable ?? ""] ?? ""
    }
}
