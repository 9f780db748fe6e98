import Connectors
import Foundation
import SyncCore

/// The configuration file: where the engine and the company ledger live, and the stores to sync.
///
/// JSON, parsed by the engine's own ``SyncCore/JSONValue`` (which can refuse duplicated keys) and
/// decoded with `Codable` section by section (`ConfigurationFile`). Secrets are never in the file:
/// it names the environment variables that hold them. Every mistake is reported with the key path
/// and the fix.
///
/// ```json
/// {
///   "engine": { "database": "oorden-sync.sqlite" },
///   "ledger": { "path": "empresa.sqlite" },
///   "stores": [
///     { "name": "tienda-shopify", "kind": "shopify", "url": "https://mi-tienda.myshopify.com",
///       "client_id_env": "SHOPIFY_CLIENT_ID", "client_secret_env": "SHOPIFY_CLIENT_SECRET" },
///     { "name": "tienda-woo", "kind": "woocommerce", "url": "https://tienda.mx",
///       "consumer_key_env": "WOO_KEY", "consumer_secret_env": "WOO_SECRET" }
///   ]
/// }
/// ```
public struct SyncConfiguration: Sendable, Hashable {
    public struct Store: Sendable, Hashable {
        public var name: String
        public var kind: StoreKind
        /// The store's origin (`https://mi-tienda.myshopify.com`, `https://tienda.mx`), no trailing slash.
        public var url: String
        public var apiVersion: String
        /// Environment variable names (never the secrets themselves).
        public var accessTokenEnv: String?
        public var apiKeyEnv: String?
        public var passwordEnv: String?
        public var consumerKeyEnv: String?
        public var consumerSecretEnv: String?
        public var webhookSecretEnv: String?
        /// WooCommerce: `basic`, `query` or `oauth1` (default: Basic over HTTPS, OAuth 1.0a over HTTP).
        public var auth: String?
        /// Kinds created elsewhere that are created in this store.
        public var creates: Set<EntityKind>
        /// Whether a record deleted in this store archives it everywhere (default) or only unlinks it.
        public var archiveOnDelete: Bool
        /// Shopify leaky-bucket leak rate the client paces for (2 standard, 4 advanced, 20 plus).
        public var callsPerSecond: Int
        /// When an order is finalized: `paid` (Shopify default) or a store status (`completed`, WooCommerce default).
        public var finalizeOn: String?
        /// `allow_insecure_http`: accept plain `http://` to a host that is not this machine. For test
        /// rigs only — credentials then travel in clear text.
        public var allowInsecureHTTP = false
        /// `timeout_seconds` (default 30): how long a request may wait without any answer from the store.
        public var timeoutSeconds = 30
        /// `request_deadline_seconds` (default 120): how long one request may take in all, however
        /// the store trickles its answer; never less than ``timeoutSeconds``.
        public var requestDeadlineSeconds = 120
        /// Shopify: `shop_domain`, the shop's permanent `*.myshopify.com` domain, which every delivery
        /// must name in `X-Shopify-Shop-Domain`. Needed only when `url` is not that domain (an emulator
        /// on this machine); otherwise the URL's host is used.
        public var shopDomain: String? = nil
        /// Shopify Dev Dashboard app: `client_id_env` and `client_secret_env`, the variables holding
        /// the app's client id and secret, exchanged for expiring tokens by the client-credentials
        /// grant. The client secret also signs the app's webhooks.
        public var clientIDEnv: String? = nil
        public var clientSecretEnv: String? = nil
        /// Shopify: `api`, the Admin API the store is reached through — `graphql` (the default,
        /// ``ShopifyGraphQLPlatform``) or `rest` (legacy custom apps). WooCommerce: always `rest`.
        public var shopifyAPI: ShopifyAPIChoice = .rest
        /// Shopify through GraphQL: `bulk_reads` (default true) — complete scans of customers and
        /// products read a bulk export (one JSONL file Shopify writes) instead of paged queries,
        /// which reach at most 25,000 records.
        public var bulkReads = true

        /// The variable holding the secret that signs this store's webhooks: `webhook_secret_env`,
        /// else a Dev Dashboard app's `client_secret_env` (Shopify signs with the client secret).
        public var webhookSecretVariable: String? { webhookSecretEnv ?? clientSecretEnv }
    }

    /// The `daemon` object: where `oorden-sync run` listens for webhooks and keeps its inbox.
    public struct Daemon: Sendable, Hashable {
        /// The receiver's address (`listen_host`, default `127.0.0.1`; put a TLS reverse proxy in front).
        public var listenHost = "127.0.0.1"
        /// The receiver's port (`listen_port`, default 8787; 0 picks a free one).
        public var listenPort = 8787
        /// Webhook bodies larger than this are answered 413 (`max_body_bytes`, default 1 MiB).
        public var maxBodyBytes = 1 << 20
        /// Connections the receiver keeps open at most (`max_connections`, default 512); beyond it the
        /// longest-idle one is closed, or the new one answered 503 when all are busy.
        public var maxConnections = 512
        /// Seconds a connection may stay open with no request in progress, and may take to send a
        /// request's headers (`idle_timeout_seconds`, default 15).
        public var idleTimeoutSeconds = 15
        /// Seconds a whole request (headers and body) may take to arrive (`request_timeout_seconds`, default 30).
        public var requestTimeoutSeconds = 30
        /// The webhook inbox's SQLite file (`inbox`, default `oorden-inbox.sqlite`), relative to the file.
        public var inboxPath = "oorden-inbox.sqlite"
        /// How often each store and kind is scanned completely (`complete_scan_interval_seconds`,
        /// default 3600); passes in between pull incrementally from cursors. Deletions in a store are
        /// detected only by complete scans. Used by `run` and by `sync --once`.
        public var completeScanIntervalSeconds = 3_600
        /// How far before its cursor an incremental pull starts (`overlap_seconds`, default 300), on
        /// top of the store's estimated clock offset.
        public var overlapSeconds = 300
        /// How many days a processed delivery's body stays in the inbox (`inbox_retention_days`,
        /// default 30); its row, which deduplicates retries, stays after the body is dropped.
        public var inboxRetentionDays = 30

        public init() {}
    }

    public var engineDatabase: String
    public var ledgerPath: String
    public var stores: [Store]
    public var pollIntervalSeconds: Int
    /// The daemon's settings (`oorden-sync run`); defaults when the file has no `daemon` object.
    public var daemon = Daemon()
    /// The file's directory: relative paths are resolved against it.
    public var baseDirectory: String

    /// Reads and validates a configuration file.
    ///
    /// The bytes are parsed with ``SyncCore/JSONValue`` refusing duplicated keys — `JSONDecoder` and
    /// `JSONSerialization` silently keep one of them, so a second `"name"` would sync the store under
    /// a new link — then decoded strictly (see ``parse(_:baseDirectory:)``).
    public static func load(path: String) throws -> SyncConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(key: nil, message: "cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        let doc: JSONValue
        do {
            doc = try JSONValue.parse(data, rejectingDuplicateKeys: true)
        } catch let duplicate as JSONDuplicateKeyError {
            throw ConfigurationError(key: duplicate.path, message: "appears more than once in the same object (at byte \(duplicate.offset)); keep one of them")
        } catch {
            throw ConfigurationError(key: nil, message: "\(path) is not valid JSON: \(error)")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(doc, baseDirectory: base)
    }

    /// Validates a parsed configuration: strict types (a number written as a string is an error),
    /// unknown keys refused with their path, every documented default, unique store names, store
    /// URLs that cannot leak credentials, and three distinct database files.
    public static func parse(_ doc: JSONValue, baseDirectory: String) throws -> SyncConfiguration {
        let file = try ConfigurationDecoding.decode(doc)
        for (i, store) in file.stores.enumerated() where file.stores[..<i].contains(where: { $0.name == store.name }) {
            throw ConfigurationError(key: "stores[\(i)].name", message: "\"\(store.name)\" is used by two stores; give each store its own name")
        }
        let configuration = SyncConfiguration(engineDatabase: file.engineDatabase, ledgerPath: file.ledgerPath, stores: file.stores,
                                              pollIntervalSeconds: file.pollIntervalSeconds, daemon: file.daemon, baseDirectory: baseDirectory)
        try configuration.checkDistinctDatabaseFiles()
        return configuration
    }

    /// `path` resolved against the configuration file's directory.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).path
    }
}

/// A configuration mistake: the key (`stores[0].url`) and what to do.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let key: String?
    public let message: String

    public init(key: String?, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String {
        key.map { "configuration key \($0) \(message)" } ?? "configuration: \(message)"
    }
}
