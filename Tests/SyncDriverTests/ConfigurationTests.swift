import Connectors
import Foundation
import Logging
import SyncCore
import SyncDriver
import Testing

/// The configuration file as a user writes it: strict types, no duplicate keys, every documented
/// default, store URLs that cannot leak credentials, and database paths that cannot collide.
@Suite struct ConfigurationTests {
    /// Writes `text` as a configuration file in a fresh directory and loads it.
    static func load(_ text: String) throws -> SyncConfiguration {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-config-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("oorden-sync.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try SyncConfiguration.load(path: path)
    }

    /// The error loading `text` gives (the test fails when it loads).
    static func failure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigurationError? {
        do {
            _ = try load(text)
            Issue.record("the configuration loaded, but it should have been refused:\n\(text)", sourceLocation: sourceLocation)
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            Issue.record("expected a ConfigurationError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    static let head = #""engine": {"database": "engine.sqlite"}, "ledger": {"path": "ledger.sqlite"}"#

    static func withStore(_ store: String) -> String {
        "{\(head), \"stores\": [\(store)]}"
    }

    static let shop = #""name": "tienda", "kind": "shopify", "access_token_env": "TOKEN""#

    // MARK: Documented keys and defaults

    @Test func theDocumentedExampleLoadsWithItsValues() throws {
        let c = try Self.load("""
            {
              "engine": { "database": "oorden-sync.sqlite" },
              "ledger": { "path": "empresa.sqlite" },
              "polling": { "interval_seconds": 300 },
              "daemon": {
                "listen_host": "127.0.0.1", "listen_port": 8787, "max_body_bytes": 1048576,
                "inbox": "oorden-inbox.sqlite", "complete_scan_interval_seconds": 3600, "overlap_seconds": 300
              },
              "stores": [
                { "name": "tienda-shopify", "kind": "shopify", "url": "https://mi-tienda.myshopify.com",
                  "api_version": "2026-10", "client_id_env": "SHOPIFY_CLIENT_ID", "client_secret_env": "SHOPIFY_CLIENT_SECRET" },
                { "name": "tienda-woo", "kind": "woocommerce", "url": "https://tienda.mx/",
                  "consumer_key_env": "WOO_KEY", "consumer_secret_env": "WOO_SECRET",
                  "webhook_secret_env": "WOO_WEBHOOK_SECRET", "creates": ["contact"],
                  "archive_on_delete": false, "auth": "oauth1", "finalize_on": "processing" }
              ]
            }
            """)
        #expect(c.engineDatabase == "oorden-sync.sqlite")
        #expect(c.ledgerPath == "empresa.sqlite")
        #expect(c.pollIntervalSeconds == 300)
        #expect(c.daemon.listenHost == "127.0.0.1" && c.daemon.listenPort == 8787 && c.daemon.maxBodyBytes == 1_048_576)
        #expect(c.daemon.inboxPath == "oorden-inbox.sqlite")
        #expect(c.daemon.completeScanIntervalSeconds == 3600 && c.daemon.overlapSeconds == 300)
        #expect(c.stores.map(\.name) == ["tienda-shopify", "tienda-woo"])
        let shop = c.stores[0], woo = c.stores[1]
        #expect(shop.kind == .shopify && shop.url == "https://mi-tienda.myshopify.com" && shop.accessTokenEnv == nil)
        #expect(shop.clientIDEnv == "SHOPIFY_CLIENT_ID" && shop.clientSecretEnv == "SHOPIFY_CLIENT_SECRET")
        #expect(shop.webhookSecretVariable == "SHOPIFY_CLIENT_SECRET" && shop.apiVersion == "2026-10" && shop.shopifyAPI == .graphQL)
        #expect(woo.kind == .woocommerce && woo.url == "https://tienda.mx", "a trailing slash is dropped")
        #expect(woo.consumerKeyEnv == "WOO_KEY" && woo.consumerSecretEnv == "WOO_SECRET" && woo.auth == "oauth1")
        #expect(woo.creates == [.contact] && woo.archiveOnDelete == false && woo.finalizeOn == "processing")
    }

    @Test func omittedKeysTakeTheDocumentedDefaults() throws {
        let c = try Self.load(Self.withStore(#"{\#(Self.shop), "url": "https://t.myshopify.com"}"#))
        #expect(c.pollIntervalSeconds == 300)
        #expect(c.daemon == SyncConfiguration.Daemon())
        #expect(c.daemon.listenHost == "127.0.0.1" && c.daemon.listenPort == 8787 && c.daemon.maxBodyBytes == 1 << 20)
        #expect(c.daemon.inboxPath == "oorden-inbox.sqlite" && c.daemon.completeScanIntervalSeconds == 3600 && c.daemon.overlapSeconds == 300)
        let s = c.stores[0]
        #expect(s.apiVersion == "2026-10" && s.creates == [.contact, .product] && s.archiveOnDelete && s.callsPerSecond == 2)
        #expect(s.shopifyAPI == .graphQL, "a Shopify store is reached through GraphQL unless api says rest")
        #expect(s.auth == nil && s.finalizeOn == nil && s.webhookSecretEnv == nil)
    }

    @Test func theInboxRetentionIsADaemonKey() throws {
        let c = try Self.load(#"{\#(Self.head), "daemon": {"inbox_retention_days": 7}, "stores": []}"#)
        #expect(c.stores.isEmpty)
        let e = Self.failure(#"{\#(Self.head), "daemon": {"inbox_retention_days": "7"}, "stores": []}"#)
        #expect(e?.key == "daemon.inbox_retention_days")
    }

    // MARK: Strict types (issue #16 item 8)

    @Test func numbersWrittenAsStringsAreRefused() {
        let poll = Self.failure(#"{\#(Self.head), "polling": {"interval_seconds": "60"}, "stores": []}"#)
        #expect(poll?.key == "polling.interval_seconds")
        #expect(poll?.message.contains("got a string") == true, "\(String(describing: poll))")
        let port = Self.failure(#"{\#(Self.head), "daemon": {"listen_port": "8787"}, "stores": []}"#)
        #expect(port?.key == "daemon.listen_port")
        let calls = Self.failure(Self.withStore(#"{\#(Self.shop), "url": "https://t.myshopify.com", "calls_per_second": "4"}"#))
        #expect(calls?.key == "stores[0].calls_per_second")
        let flag = Self.failure(Self.withStore(#"{\#(Self.shop), "url": "https://t.myshopify.com", "archive_on_delete": "false"}"#))
        #expect(flag?.key == "stores[0].archive_on_delete")
        let fraction = Self.failure(#"{\#(Self.head), "polling": {"interval_seconds": 60.5}, "stores": []}"#)
        #expect(fraction?.key == "polling.interval_seconds")
        let name = Self.failure(Self.withStore(#"{"name": 7, "kind": "shopify", "access_token_env": "T", "url": "https://t.myshopify.com"}"#))
        #expect(name?.key == "stores[0].name")
    }

    @Test func aDuplicatedKeyIsAnErrorNamingItsPath() {
        let name = Self.failure(Self.withStore(#"{"name": "tienda", \#(Self.shop), "url": "https://t.myshopify.com"}"#))
        #expect(name?.key == "stores[0].name")
        #expect(name?.message.contains("more than once") == true, "\(String(describing: name))")
        let top = Self.failure(#"{\#(Self.head), "engine": {"database": "other.sqlite"}, "stores": []}"#)
        #expect(top?.key == "engine")
    }

    @Test func duplicateStoreNamesAndUnknownKeysAreErrors() {
        let twice = Self.failure("""
            {\(Self.head), "stores": [{\(Self.shop), "url": "https://a.myshopify.com"}, {\(Self.shop), "url": "https://b.myshopify.com"}]}
            """)
        #expect(twice?.key == "stores[1].name")
        let unknown = Self.failure(Self.withStore(#"{\#(Self.shop), "url": "https://t.myshopify.com", "urll": "x"}"#))
        #expect(unknown?.key == "stores[0].urll")
        #expect(unknown?.message.contains("not a known key") == true)
        let deep = Self.failure(#"{\#(Self.head), "daemon": {"listen_prot": 1}, "stores": []}"#)
        #expect(deep?.key == "daemon.listen_prot")
    }

    // MARK: Store URLs (issue #16 item 4)

    @Test func plainHTTPIsRefusedForAHostOtherThanThisMachine() {
        for url in ["http://tienda.mx", "http://192.168.1.20:8080", "http://mi-tienda.myshopify.com", "http://[2001:db8::1]"] {
            let e = Self.failure(Self.withStore(#"{\#(Self.shop), "url": "\#(url)"}"#))
            #expect(e?.key == "stores[0].url")
            #expect(e?.message.contains("https://") == true && e?.message.contains("clear text") == true, "\(String(describing: e))")
        }
    }

    @Test func plainHTTPIsAcceptedForLoopbackAndForAnExplicitTestRig() throws {
        for url in ["http://127.0.0.1:8080", "http://127.9.8.7", "http://localhost:3000", "http://[::1]:9000"] {
            let c = try Self.load(Self.withStore(#"{\#(Self.shop), "url": "\#(url)"}"#))
            #expect(c.stores[0].url == url)
        }
        let rig = try Self.load(Self.withStore(#"{\#(Self.shop), "url": "http://tienda.test:8080", "allow_insecure_http": true}"#))
        #expect(rig.stores[0].url == "http://tienda.test:8080")
    }

    @Test func aStoreURLWithUserInfoAPathOrAQueryIsRefused() {
        let cases = [("https://user:s3cr3t@tienda.mx", "user info"), ("https://tienda.mx/wp-json", "/wp-json"),
                     ("https://tienda.mx?consumer_secret=s3cr3t", "query"), ("https://tienda.mx#x", "fragment"), ("ftp://tienda.mx", "https://")]
        for (url, named) in cases {
            let e = Self.failure(Self.withStore(#"{\#(Self.shop), "url": "\#(url)"}"#))
            #expect(e?.key == "stores[0].url")
            #expect(e?.message.contains(named) == true, "\(url): \(String(describing: e))")
            #expect(e?.description.contains("s3cr3t") == false, "a password in the URL is never repeated: \(String(describing: e))")
        }
    }

    @Test func aWooCommerceStoreInAFolderKeepsItsSitePathButNotAnAPIAddress() throws {
        let woo = #""name": "tienda", "kind": "woocommerce", "consumer_key_env": "K", "consumer_secret_env": "S""#
        let config = try Self.load(Self.withStore(#"{\#(woo), "url": "https://ejemplo.mx/tienda/"}"#))
        #expect(config.stores.first?.url == "https://ejemplo.mx/tienda", "WordPress installed in a folder: its REST API lives under that path")
        for pasted in ["https://ejemplo.mx/tienda/wp-json/wc/v3", "https://ejemplo.mx/wp-admin"] {
            let e = Self.failure(Self.withStore(#"{\#(woo), "url": "\#(pasted)"}"#))
            #expect(e?.key == "stores[0].url" && e?.message.contains("remove it") == true, "\(pasted): \(String(describing: e))")
        }
        let shopify = Self.failure(Self.withStore(#"{\#(Self.shop), "url": "https://tienda.myshopify.com/tienda"}"#))
        #expect(shopify?.message.contains("/tienda") == true, "a Shopify store is an origin: \(String(describing: shopify))")
    }

    @Test func aStoresTimeoutAndRequestDeadlineAreSettings() throws {
        let defaults = try Self.load(Self.withStore(#"{\#(Self.shop), "url": "https://tienda.myshopify.com"}"#))
        #expect(defaults.stores.first?.timeoutSeconds == 30 && defaults.stores.first?.requestDeadlineSeconds == 120)
        let set = try Self.load(Self.withStore(#"{\#(Self.shop), "url": "https://tienda.myshopify.com", "timeout_seconds": 60, "request_deadline_seconds": 300}"#))
        #expect(set.stores.first?.timeoutSeconds == 60 && set.stores.first?.requestDeadlineSeconds == 300)
        let short = Self.failure(Self.withStore(#"{\#(Self.shop), "url": "https://tienda.myshopify.com", "timeout_seconds": 60, "request_deadline_seconds": 10}"#))
        #expect(short?.key == "stores[0].request_deadline_seconds" && short?.message.contains("timeout_seconds") == true, "\(String(describing: short))")
        let text = Self.failure(Self.withStore(#"{\#(Self.shop), "url": "https://tienda.myshopify.com", "timeout_seconds": "60"}"#))
        #expect(text?.key == "stores[0].timeout_seconds", "\(String(describing: text))")
    }

    // MARK: Database paths (issue #16 item 6)

    @Test func theEngineDatabaseCannotBeTheLedgerOrTheInbox() {
        let ledger = Self.failure(#"{"engine": {"database": "data/company.sqlite"}, "ledger": {"path": "./data/../data/company.sqlite"}, "stores": []}"#)
        #expect(ledger?.key == "engine.database")
        #expect(ledger?.message.contains("ledger.path") == true, "\(String(describing: ledger))")
        let inbox = Self.failure(#"{"engine": {"database": "oorden-inbox.sqlite"}, "ledger": {"path": "ledger.sqlite"}, "stores": []}"#)
        #expect(inbox?.key == "engine.database")
        #expect(inbox?.message.contains("daemon.inbox") == true, "\(String(describing: inbox))")
        let both = Self.failure(#"{\#(Self.head), "daemon": {"inbox": "ledger.sqlite"}, "stores": []}"#)
        #expect(both?.key == "daemon.inbox")
    }

    // MARK: Shopify Dev Dashboard apps (issue #17)

    @Test func aDevDashboardAppSignsInWithItsClientCredentialsAndItsSecretSignsWebhooks() throws {
        let app = #""name": "tienda", "kind": "shopify", "url": "https://tienda.myshopify.com""#
        let c = try Self.load(Self.withStore(#"{\#(app), "client_id_env": "SHOPIFY_CLIENT_ID", "client_secret_env": "SHOPIFY_CLIENT_SECRET"}"#))
        let store = try #require(c.stores.first)
        #expect(store.clientIDEnv == "SHOPIFY_CLIENT_ID" && store.clientSecretEnv == "SHOPIFY_CLIENT_SECRET" && store.accessTokenEnv == nil)
        #expect(store.webhookSecretVariable == "SHOPIFY_CLIENT_SECRET", "Shopify signs a Dev Dashboard app's webhooks with its client secret")
        let endpoint = try store.endpoint(environment: ["SHOPIFY_CLIENT_ID": "id-1", "SHOPIFY_CLIENT_SECRET": "shpss_secret"],
                                          clock: ManualClock(milliseconds: 0), seed: 1, logger: Logger(label: "test"))
        #expect(endpoint.kind == .shopify)
        let unset = #expect(throws: ConfigurationError.self) {
            _ = try store.endpoint(environment: ["SHOPIFY_CLIENT_ID": "id-1"], clock: ManualClock(milliseconds: 0), seed: 1, logger: Logger(label: "test"))
        }
        #expect(unset?.key == "tienda.client_secret_env" && unset?.message.contains("SHOPIFY_CLIENT_SECRET") == true, "\(String(describing: unset))")

        let half = Self.failure(Self.withStore(#"{\#(app), "client_id_env": "SHOPIFY_CLIENT_ID"}"#))
        #expect(half?.key == "stores[0].client_secret_env" && half?.message.contains("both") == true, "\(String(describing: half))")
        let mixed = Self.failure(Self.withStore(#"{\#(app), "client_id_env": "I", "client_secret_env": "S", "access_token_env": "T"}"#))
        #expect(mixed?.key == "stores[0].access_token_env" && mixed?.message.contains("one way") == true, "\(String(describing: mixed))")
        let none = Self.failure(Self.withStore(#"{\#(app)}"#))
        #expect(none?.message.contains("client_id_env") == true && none?.message.contains("access_token_env") == true, "\(String(describing: none))")
        let woo = Self.failure(Self.withStore(#"{"name": "w", "kind": "woocommerce", "url": "https://tienda.mx", "consumer_key_env": "K", "consumer_secret_env": "S", "client_id_env": "I"}"#))
        #expect(woo?.key == "stores[0].client_id_env", "\(String(describing: woo))")
    }

    @Test func theShopifyAPIIsGraphQLUnlessApiSaysRestAndApiIsOnlyForShopify() throws {
        let app = #""name": "tienda", "kind": "shopify", "url": "https://tienda.myshopify.com", "access_token_env": "T""#
        let environment = ["T": "shpat_token"]
        let graphql = try #require(try Self.load(Self.withStore(#"{\#(app)}"#)).stores.first)
        #expect(graphql.shopifyAPI == .graphQL)
        let endpoint = try graphql.endpoint(environment: environment, clock: ManualClock(milliseconds: 0), seed: 1, logger: Logger(label: "test"))
        #expect(endpoint.shopifyGraphQL?.version == "2026-10")
        #expect(endpoint.platform(clock: ManualClock(milliseconds: 0)) is ShopifyGraphQLPlatform)

        let rest = try #require(try Self.load(Self.withStore(#"{\#(app), "api": "REST", "api_version": "2025-04"}"#)).stores.first)
        #expect(rest.shopifyAPI == .rest)
        let restEndpoint = try rest.endpoint(environment: environment, clock: ManualClock(milliseconds: 0), seed: 1, logger: Logger(label: "test"))
        #expect(restEndpoint.shopifyGraphQL == nil)
        #expect(restEndpoint.shopify.version == "2025-04")
        #expect(restEndpoint.platform(clock: ManualClock(milliseconds: 0)) is ShopifyRESTPlatform)

        let unknown = Self.failure(Self.withStore(#"{\#(app), "api": "soap"}"#))
        #expect(unknown?.key == "stores[0].api" && unknown?.message.contains("graphql") == true, "\(String(describing: unknown))")
        let woo = Self.failure(Self.withStore(#"{"name": "w", "kind": "woocommerce", "url": "https://tienda.mx", "consumer_key_env": "K", "consumer_secret_env": "S", "api": "graphql"}"#))
        #expect(woo?.key == "stores[0].api" && woo?.message.contains("Shopify stores only") == true, "\(String(describing: woo))")
    }

    @Test func bulkReadsAreOnForGraphQLStoresAndTurnOffOnlyThere() throws {
        let app = #""name": "tienda", "kind": "shopify", "url": "https://tienda.myshopify.com", "access_token_env": "T""#
        let environment = ["T": "shpat_token"]
        let clock = ManualClock(milliseconds: 0)
        let on = try #require(try Self.load(Self.withStore(#"{\#(app)}"#)).stores.first)
        #expect(on.bulkReads)
        let onPlatform = try #require(try on.endpoint(environment: environment, clock: clock, seed: 1, logger: Logger(label: "test"))
            .platform(clock: clock) as? ShopifyGraphQLPlatform)
        #expect(onPlatform.bulk != nil)
        let off = try #require(try Self.load(Self.withStore(#"{\#(app), "bulk_reads": false}"#)).stores.first)
        let offPlatform = try #require(try off.endpoint(environment: environment, clock: clock, seed: 1, logger: Logger(label: "test"))
            .platform(clock: clock) as? ShopifyGraphQLPlatform)
        #expect(offPlatform.bulk == nil)
        let rest = Self.failure(Self.withStore(#"{\#(app), "api": "rest", "bulk_reads": true}"#))
        #expect(rest?.key == "stores[0].bulk_reads" && rest?.message.contains("GraphQL") == true, "\(String(describing: rest))")
        let text = Self.failure(Self.withStore(#"{\#(app), "bulk_reads": "yes"}"#))
        #expect(text?.key?.hasPrefix("stores[0]") == true, "\(String(describing: text))")
    }
}
