import ChildProcessSupport
import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine
import Testing

/// `/metrics` read by a real Prometheus parser (Python's `prometheus_client`), over loopback HTTP, with
/// two stores whose counters are not zero: every family is declared once (one `# TYPE`), every sample
/// sits under its family, and the values are the daemon's.
@Suite("Daemon: /metrics is valid Prometheus text (prometheus_client's parser)")
struct MetricsExpositionTests {
    @Test("two stores with 429s, retries, pushes, webhooks and deliveries: prometheus_client parses every family once, with one TYPE, and the values the daemon counted")
    func parsedByPrometheusClient() async throws {
        var logger = Logger(label: "metrics-test")
        logger.logLevel = .critical
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = SystemWallClock()

        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.rateLimitEnabled = false
        let shop = ShopifyEmulator(configuration: shopConfig, seed: 41, clock: clock)
        var wooConfig = WooCommerceEmulatorConfiguration()
        wooConfig.assumeHTTPS = true
        let woo = WooCommerceEmulator(configuration: wooConfig, seed: 42, clock: clock, logger: logger)
        for i in 0..<3 {
            try shop.createCustomer(email: "s\(i)@metricas.test", firstName: "Sara\(i)", lastName: "Shop")
            try woo.createCustomer(email: "w\(i)@metricas.test", firstName: "Wen\(i)", lastName: "Woo")
        }
        let shopServer = EmulatorServer(emulator: shop, configuration: EmulatorServer.Configuration(), logger: logger)
        let wooServer = EmulatorServer(emulator: woo, configuration: EmulatorServer.Configuration(), logger: logger)
        let shopOrigin = "http://127.0.0.1:\(try await shopServer.start())"
        let wooOrigin = "http://127.0.0.1:\(try await wooServer.start())"
        wooConfig.siteURL = wooOrigin
        woo.configuration = wooConfig

        // The first requests of each store are answered 429: two for Shopify, three for WooCommerce;
        // the clients retry them (their waits are recorded, not slept).
        let retry = RetryPolicy(maxAttempts: 5, baseDelayMilliseconds: 10, maxDelayMilliseconds: 100)
        let shopClient = StoreClient(transport: URLSessionTransport(origin: shopOrigin, timeoutSeconds: 10, logger: logger),
                                     credentials: .shopify(.accessToken(shop.credentials.accessToken)), siteURL: shopOrigin,
                                     retryPolicy: retry, clock: clock, random: SeededRandom(seed: 5), sleeper: NoSleep(), logger: logger)
        let wooClient = StoreClient(transport: URLSessionTransport(origin: wooOrigin, timeoutSeconds: 10, logger: logger),
                                    credentials: .wooCommerce(WooCommerceCredentials(consumerKey: woo.credentials.consumerKey,
                                                                                     consumerSecret: woo.credentials.consumerSecret, mode: .basic)),
                                    siteURL: wooOrigin, retryPolicy: retry, clock: clock, random: SeededRandom(seed: 6), sleeper: NoSleep(), logger: logger)
        var shopFaults = FaultPlan()
        shopFaults.failNextRequests = 2
        shopFaults.failStatus = 429
        shop.faults = shopFaults
        var wooFaults = FaultPlan()
        wooFaults.failNextRequests = 3
        wooFaults.failStatus = 429
        woo.faults = wooFaults

        let ledger = try OordenLedger(path: dir + "/ledger.sqlite", clock: clock)
        _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
        let engine = try SyncEngine.open(path: dir + "/engine.sqlite", clock: clock, seed: 9, logger: logger)
        try engine.connect(link: "shopify", kind: .shopify)
        try engine.connect(link: "woo", kind: .woocommerce)
        let inbox = try WebhookInbox(path: dir + "/inbox.sqlite")
        let driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger),
                                endpoints: [StoreEndpoint(link: "shopify", kind: .shopify, transport: shopClient),
                                            StoreEndpoint(link: "woo", kind: .woocommerce, transport: wooClient)],
                                clock: clock, logger: logger)
        let daemon = SyncDaemon(driver: driver, inbox: inbox,
                                stores: [WebhookReceiver.StoreSecret(name: "shopify", kind: .shopify, secret: DaemonRig.shopifySecret,
                                                                     source: .shopify(shopDomain: shop.configuration.shopDomain)),
                                         WebhookReceiver.StoreSecret(name: "woo", kind: .woocommerce, secret: DaemonRig.wooSecret,
                                                                     source: .wooCommerce(siteURL: wooOrigin))],
                                settings: SyncDaemon.Settings(), clock: clock, logger: logger)
        try await daemon.start()
        let base = "http://127.0.0.1:\(daemon.port ?? 0)"

        // A pass over both stores: the 429s are absorbed, each store's customers are pushed to the other.
        await daemon.reconcile()
        let passes = daemon.metrics.reconciliationPasses
        #expect(passes.ok == 1 && passes.partial == 0 && passes.failed == 0, "\(passes)")

        // Webhooks: Shopify delivers one customer twice (a duplicate), one without a last name (held),
        // and one with a wrong signature (401); WooCommerce delivers one customer.
        let shopURL = base + "/webhooks/shopify/shopify"
        let ana = shopifyCustomerBody(id: 9_001, email: "ana@metricas.test", first: "Ana", last: "López")
        #expect(try await httpRequest(shopURL, headers: shopifyHeaders(topic: "customers/create", webhookID: "m1", body: ana), body: ana).0 == 200)
        #expect(try await httpRequest(shopURL, headers: shopifyHeaders(topic: "customers/create", webhookID: "m1", body: ana), body: ana).1 == "duplicate\n")
        let nameless = shopifyCustomerBody(id: 9_002, email: "sin.apellido@metricas.test", first: "Chuy", last: "")
        #expect(try await httpRequest(shopURL, headers: shopifyHeaders(topic: "customers/create", webhookID: "m2", body: nameless), body: nameless).0 == 200)
        let forged = shopifyHeaders(topic: "customers/create", webhookID: "m3", body: ana, secret: "not-the-secret")
        #expect(try await httpRequest(shopURL, headers: forged, body: ana).0 == 401)
        let wooBody = JSONValue.object(["id": .integer(77), "email": "wanda@metricas.test", "first_name": "Wanda", "last_name": "Woo"]).jsonData
        let wooHeaders = [("Content-Type", "application/json"), ("X-WC-Webhook-Topic", "customer.updated"),
                          ("X-WC-Webhook-Resource", "customer"), ("X-WC-Webhook-Event", "updated"),
                          ("X-WC-Webhook-Delivery-ID", "901"), ("X-WC-Webhook-ID", "3"), ("X-WC-Webhook-Source", wooOrigin + "/"),
                          ("X-WC-Webhook-Signature", WebhookVerifier(platform: .wooCommerce, secret: DaemonRig.wooSecret).sign(wooBody))]
        #expect(try await httpRequest(base + "/webhooks/woocommerce/woo", headers: wooHeaders, body: wooBody).0 == 200)
        #expect(try await daemon.drainInbox() == 3)

        let (status, text) = try await httpRequest(base + "/metrics", method: "GET")
        let shopStats = await shopClient.statistics
        let wooStats = await wooClient.statistics
        let counters = daemon.metrics.stores
        let held = Dictionary(grouping: try engine.heldRecords(), by: \.link).mapValues(\.count)
        let clamped = engine.futureStoreTimesClamped
        await daemon.stop()
        await shopServer.stop()
        await wooServer.stop()
        #expect(status == 200)

        // Pure Swift: each family is declared once and its samples follow its declaration.
        let structure = PrometheusTextCheck(text)
        #expect(structure.problems.isEmpty, "\(structure.problems.joined(separator: "\n"))\n\(text)")

        // The real parser.
        let parsed: ParsedMetrics
        do {
            parsed = try await ParsedMetrics.parse(text, in: dir)
        } catch {
            Issue.record("\(error)")
            return
        }
        #expect(parsed.problems.isEmpty, "prometheus_client: \(parsed.problems.joined(separator: "\n"))\n\(text)")

        let expectedTypes: [String: String] = [
            "oorden_sync_webhook_responses_total": "counter", "oorden_sync_webhook_duplicates_total": "counter",
            "oorden_sync_inbox_deliveries": "gauge", "oorden_sync_inbox_oldest_pending_seconds": "gauge",
            "oorden_sync_lag_seconds": "gauge", "oorden_sync_deliveries_processed_total": "counter",
            "oorden_sync_held_records": "gauge", "oorden_sync_store_future_times_clamped_total": "counter",
            "oorden_sync_store_pass_failures_total": "counter", "oorden_sync_webhooks_reactivated_total": "counter", "oorden_sync_pushes_total": "counter",
            "oorden_sync_push_failures_total": "counter", "oorden_sync_store_rate_limited_total": "counter",
            "oorden_sync_store_retries_total": "counter", "oorden_sync_reconciliation_passes_total": "counter",
            "oorden_sync_receiver_connections": "gauge", "oorden_sync_receiver_connections_shed_total": "counter",
            "oorden_sync_receiver_requests_timed_out_total": "counter",
        ]
        #expect(Set(parsed.families.keys) == Set(expectedTypes.keys), "families: \(parsed.families.keys.sorted())")
        for (name, type) in expectedTypes { #expect(parsed.families[name]?.type == type, "\(name)") }

        // The two families that used to interleave, with both stores.
        #expect(shopStats.rateLimitedResponses == 2 && wooStats.rateLimitedResponses == 3, "\(shopStats) \(wooStats)")
        #expect(parsed.value("oorden_sync_store_rate_limited_total", ["store": "shopify"]) == Double(shopStats.rateLimitedResponses))
        #expect(parsed.value("oorden_sync_store_rate_limited_total", ["store": "woo"]) == Double(wooStats.rateLimitedResponses))
        #expect(shopStats.retries > 0 && wooStats.retries > 0)
        #expect(parsed.value("oorden_sync_store_retries_total", ["store": "shopify"]) == Double(shopStats.retries))
        #expect(parsed.value("oorden_sync_store_retries_total", ["store": "woo"]) == Double(wooStats.retries))
        #expect(parsed.labelSets("oorden_sync_store_rate_limited_total") == [["store": "shopify"], ["store": "woo"]])
        #expect(parsed.labelSets("oorden_sync_store_retries_total") == [["store": "shopify"], ["store": "woo"]])

        // Webhook intake.
        #expect(parsed.labelSets("oorden_sync_webhook_responses_total")
            == [["code": "200", "store": "shopify"], ["code": "401", "store": "shopify"], ["code": "200", "store": "woo"]])
        #expect(parsed.value("oorden_sync_webhook_responses_total", ["code": "200", "store": "shopify"]) == 3)
        #expect(parsed.value("oorden_sync_webhook_responses_total", ["code": "401", "store": "shopify"]) == 1)
        #expect(parsed.value("oorden_sync_webhook_responses_total", ["code": "200", "store": "woo"]) == 1)
        #expect(parsed.value("oorden_sync_webhook_duplicates_total", ["store": "shopify"]) == 1)
        #expect(parsed.value("oorden_sync_webhook_duplicates_total", ["store": "woo"]) == 0)
        #expect(parsed.value("oorden_sync_deliveries_processed_total", ["store": "shopify"]) == 2)
        #expect(parsed.value("oorden_sync_deliveries_processed_total", ["store": "woo"]) == 1)

        // The inbox, read at scrape time: every store × status.
        #expect(parsed.labelSets("oorden_sync_inbox_deliveries").count == 2 * InboxDelivery.Status.allCases.count)
        #expect(parsed.value("oorden_sync_inbox_deliveries", ["status": "processed", "store": "shopify"]) == 2)
        #expect(parsed.value("oorden_sync_inbox_deliveries", ["status": "processed", "store": "woo"]) == 1)
        #expect(parsed.value("oorden_sync_inbox_deliveries", ["status": "pending", "store": "shopify"]) == 0)
        #expect(parsed.value("oorden_sync_inbox_deliveries", ["status": "pending", "store": "woo"]) == 0)
        #expect(parsed.value("oorden_sync_inbox_oldest_pending_seconds", ["store": "shopify"]) == 0)
        #expect(parsed.value("oorden_sync_inbox_oldest_pending_seconds", ["store": "woo"]) == 0)

        // Pushes, held records, lag, passes.
        for store in ["shopify", "woo"] {
            let pushes = try #require(counters[store]?.pushes)
            #expect(pushes > 0, "\(store) received the other store's customers")
            #expect(parsed.value("oorden_sync_pushes_total", ["store": store]) == Double(pushes))
            #expect(parsed.value("oorden_sync_push_failures_total", ["store": store]) == Double(counters[store]?.pushFailures ?? -1))
            #expect(parsed.value("oorden_sync_store_pass_failures_total", ["store": store]) == 0)
            #expect(parsed.value("oorden_sync_webhooks_reactivated_total", ["store": store]) == 0)
            #expect(parsed.value("oorden_sync_held_records", ["store": store]) == Double(held[store] ?? 0))
            let lag = try #require(parsed.value("oorden_sync_lag_seconds", ["store": store]))
            #expect(lag >= 0 && lag < 600)
        }
        #expect((held["shopify"] ?? 0) >= 1, "the customer without a last name is held")
        #expect(parsed.labelSets("oorden_sync_store_future_times_clamped_total") == [[:]])
        #expect(parsed.value("oorden_sync_store_future_times_clamped_total", [:]) == Double(clamped))
        #expect(parsed.labelSets("oorden_sync_reconciliation_passes_total") == [["result": "failed"], ["result": "ok"], ["result": "partial"]])
        #expect(parsed.value("oorden_sync_reconciliation_passes_total", ["result": "ok"]) == 1)
        #expect(parsed.value("oorden_sync_reconciliation_passes_total", ["result": "partial"]) == 0)
        #expect(parsed.value("oorden_sync_reconciliation_passes_total", ["result": "failed"]) == 0)
    }

    @Test("the structural check catches a family declared twice and samples outside their family (the pre-#16 output)")
    func structuralCheckCatchesInterleaving() {
        let interleaved = """
            # HELP a_total A.
            # TYPE a_total counter
            # HELP b_total B.
            # TYPE b_total counter
            a_total{store="x"} 1
            b_total{store="x"} 2
            # HELP a_total A.
            # TYPE a_total counter
            a_total{store="y"} 3

            """
        let problems = PrometheusTextCheck(interleaved).problems
        #expect(problems.contains { $0.contains("a_total") && $0.contains("TYPE") && $0.contains("2") }, "\(problems)")
        #expect(problems.contains { $0.contains("a_total{store=\"x\"}") }, "\(problems)")
        #expect(PrometheusTextCheck("# HELP c_total C.\n# TYPE c_total counter\nc_total 1\n").problems.isEmpty)
    }
}

/// A pure-Swift reading of Prometheus text exposition: each family's `# HELP` and `# TYPE` at most once
/// (a `# TYPE` for each), and every sample under the family most recently declared.
struct PrometheusTextCheck {
    private(set) var problems: [String] = []

    init(_ text: String) {
        var helps: [String: Int] = [:]
        var types: [String: Int] = [:]
        var current: (name: String, type: String)?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            let words = line.split(separator: " ", maxSplits: 3).map(String.init)
            if line.hasPrefix("# HELP "), words.count >= 3 {
                helps[words[2], default: 0] += 1
            } else if line.hasPrefix("# TYPE "), words.count >= 4 {
                types[words[2], default: 0] += 1
                current = (words[2], words[3])
            } else if !line.hasPrefix("#") {
                let name = String(line.prefix { $0 != "{" && $0 != " " })
                guard let family = current else {
                    problems.append("sample before any TYPE: \(line)")
                    continue
                }
                let allowed = family.type == "histogram" || family.type == "summary"
                    ? [family.name, family.name + "_bucket", family.name + "_sum", family.name + "_count"]
                    : [family.name]
                if !allowed.contains(name) { problems.append("sample outside its family (under \(family.name)): \(line)") }
            }
        }
        for (name, n) in types where n != 1 { problems.append("\(name) has its TYPE \(n) times") }
        for (name, n) in helps where n != 1 { problems.append("\(name) has its HELP \(n) times") }
        for name in helps.keys where types[name] == nil { problems.append("\(name) has a HELP but no TYPE") }
    }
}

/// `/metrics` as Python's `prometheus_client` parser reads it.
struct ParsedMetrics: Decodable {
    struct Sample: Decodable {
        var labels: [String: String]
        var value: Double
    }

    struct Family: Decodable {
        var type: String
        var samples: [Sample]
    }

    /// By family name as exposed (a counter's `_total` included).
    var families: [String: Family]
    /// What the script found wrong: a family read twice, a family without a TYPE, a sample that is not
    /// its family's.
    var problems: [String]

    func value(_ family: String, _ labels: [String: String]) -> Double? {
        families[family]?.samples.first { $0.labels == labels }?.value
    }

    /// The family's label sets.
    func labelSets(_ family: String) -> Set<[String: String]> {
        Set((families[family]?.samples ?? []).map(\.labels))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let install = "install it with `python3 -m pip install prometheus_client` (.ci/run does this)"

    /// Runs `python3` with `prometheus_client.parser.text_string_to_metric_families` over `text`
    /// (written to a file in `directory`). Throws when python3 or prometheus_client is missing.
    static func parse(_ text: String, in directory: String) async throws -> ParsedMetrics {
        let input = URL(fileURLWithPath: directory).appendingPathComponent("metrics.txt")
        let script = URL(fileURLWithPath: directory).appendingPathComponent("parse_metrics.py")
        try Data(text.utf8).write(to: input)
        try Data(pythonScript.utf8).write(to: script)
        let run: ChildProcess.Output
        do {
            run = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, input.path])
        } catch {
            throw Failure(description: "could not start python3 (\(error)); this test needs python3 with prometheus_client: \(install)")
        }
        let output = Data(run.standardOutput.utf8)
        let errors = run.standardError
        switch run.status {
        case 0: break
        case 127: throw Failure(description: "python3 was not found on PATH; this test needs python3 with prometheus_client: \(install)")
        case 3: throw Failure(description: "python3 cannot import prometheus_client; \(install). \(errors)")
        default: throw Failure(description: "the prometheus_client parser refused /metrics (exit \(run.status)): \(errors)\n\(text)")
        }
        do {
            return try JSONDecoder().decode(ParsedMetrics.self, from: output)
        } catch {
            throw Failure(description: "the parser script's output is not the JSON expected (\(error)): \(String(decoding: output, as: UTF8.self)) \(errors)")
        }
    }

    /// Parses the file named by argv[1]; prints {"families": {name: {type, samples}}, "problems": [...]}.
    /// Exit 3: prometheus_client is missing; exit 1: the parser raised.
    static let pythonScript = #"""
        import json, sys
        try:
            from prometheus_client.parser import text_string_to_metric_families
        except ImportError as error:
            print(f"cannot import prometheus_client: {error}", file=sys.stderr)
            sys.exit(3)

        text = open(sys.argv[1], encoding="utf-8").read()
        problems = []
        families = {}
        try:
            parsed = list(text_string_to_metric_families(text))
        except Exception as error:
            print(f"parse error: {error!r}", file=sys.stderr)
            sys.exit(1)
        seen = {}
        series = set()
        for family in parsed:
            seen[family.name] = seen.get(family.name, 0) + 1
            if family.type not in ("counter", "gauge"):
                problems.append(f"family {family.name} has type {family.type} (no TYPE line of its own)")
            if not family.samples:
                problems.append(f"family {family.name} has no samples")
            allowed = {family.name + "_total", family.name + "_created"} if family.type == "counter" else {family.name}
            exposed = family.name + "_total" if family.type == "counter" else family.name
            entry = families.setdefault(exposed, {"type": family.type, "samples": []})
            for sample in family.samples:
                if sample.name not in allowed:
                    problems.append(f"sample {sample.name}{sample.labels} is not of family {family.name}")
                key = (sample.name, tuple(sorted(sample.labels.items())))
                if key in series:
                    problems.append(f"sample {sample.name}{sample.labels} appears twice")
                series.add(key)
                entry["samples"].append({"labels": sample.labels, "value": sample.value})
        for name, count in seen.items():
            if count != 1:
                problems.append(f"family {name} read {count} times (its samples are not together under one TYPE)")
        types = {}
        for line in text.splitlines():
            if line.startswith("# TYPE "):
                name = line.split(" ")[2]
                types[name] = types.get(name, 0) + 1
        for name, count in types.items():
            if count != 1:
                problems.append(f"{name} has {count} TYPE lines")
        print(json.dumps({"families": families, "problems": problems}))
        """#
}

/// The value of one series (`name{label="value",…}` as exposed, labels in name order) in Prometheus
/// text, or nil when it is absent.
func metricValue(_ text: String, _ series: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}
