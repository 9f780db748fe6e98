import Connectors
import Foundation
import SyncCore

/// The configuration file: where the engine and the company ledger live, and the stores to sync.
///
/// JSON, so it needs no parser beyond the one the engine already has. Secrets are never in the file:
/// it names the environment variables that hold them. Every mistake is reported with the key and the fix.
///
/// ```json
/// {
///   "engine": { "database": "oorden-sync.sqlite" },
///   "ledger": { "path": "empresa.sqlite" },
///   "stores": [
///     { "name": "tienda-shopify", "kind": "shopify", "url": "https://mi-tienda.myshopify.com",
///       "api_version": "2024-10", "access_token_env": "SHOPIFY_TOKEN" },
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
    }

    /// The `daemon` object: where `oorden-sync run` listens for webhooks and keeps its inbox.
    public struct Daemon: Sendable, Hashable {
        /// The receiver's address (`listen_host`, default `127.0.0.1`; put a TLS reverse proxy in front).
        public var listenHost = "127.0.0.1"
        /// The receiver's port (`listen_port`, default 8787; 0 picks a free one).
        public var listenPort = 8787
        /// Webhook bodies larger than this are answered 413 (`max_body_bytes`, default 1 MiB).
        public var maxBodyBytes = 1 << 20
        /// The webhook inbox's SQLite file (`inbox`, default `oorden-inbox.sqlite`), relative to the file.
        public var inboxPath = "oorden-inbox.sqlite"
        /// How often each store and kind is scanned completely (`complete_scan_interval_seconds`,
        /// default 3600); passes in between pull incrementally from cursors. Deletions in a store are
        /// detected only by complete scans. Used by `run` and by `sync --once`.
        public var completeScanIntervalSeconds = 3_600
        /// How far before its cursor an incremental pull starts (`overlap_seconds`, default 300), on
        /// top of the store's estimated clock offset.
        public var overlapSeconds = 300

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
    public static func load(path: String) throws -> SyncConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(key: nil, message: "cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        let doc: JSONValue
        do {
            doc = try JSONValue.parse(data)
        } catch {
            throw ConfigurationError(key: nil, message: "\(path) is not valid JSON: \(error)")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(doc, baseDirectory: base)
    }

    public static func parse(_ doc: JSONValue, baseDirectory: String) throws -> SyncConfiguration {
        guard let root = doc.object else { throw ConfigurationError(key: nil, message: "the configuration must be a JSON object") }
        try checkKeys(root, allowed: ["engine", "ledger", "stores", "polling", "daemon"], at: "")
        func string(_ o: [String: JSONValue], _ key: String, at prefix: String, required: Bool) throws -> String? {
            guard let v = o[key], !v.isNull else {
                if required { throw ConfigurationError(key: prefix + key, message: "is missing") }
                return nil
            }
            guard let s = v.string, !s.isEmpty else { throw ConfigurationError(key: prefix + key, message: "must be a non-empty string, got \(v.typeName)") }
            return s
        }
        guard let engine = root["engine"]?.object else { throw ConfigurationError(key: "engine", message: "is missing: add {\"database\": \"oorden-sync.sqlite\"}") }
        try checkKeys(engine, allowed: ["database"], at: "engine.")
        let database = try string(engine, "database", at: "engine.", required: true)!
        guard let ledger = root["ledger"]?.object else { throw ConfigurationError(key: "ledger", message: "is missing: add {\"path\": \"empresa.sqlite\"}") }
        try checkKeys(ledger, allowed: ["path"], at: "ledger.")
        let ledgerPath = try string(ledger, "path", at: "ledger.", required: true)!
        var poll = 300
        if let polling = root["polling"]?.object {
            try checkKeys(polling, allowed: ["interval_seconds"], at: "polling.")
            if let v = polling["interval_seconds"] {
                guard let n = v.int, (5...86_400).contains(n) else {
                    throw ConfigurationError(key: "polling.interval_seconds", message: "must be a whole number of seconds from 5 to 86400")
                }
                poll = n
            }
        }
        var daemon = Daemon()
        if let value = root["daemon"] {
            guard let d = value.object else { throw ConfigurationError(key: "daemon", message: "must be an object such as {\"listen_port\": 8787}") }
            try checkKeys(d, allowed: ["listen_host", "listen_port", "max_body_bytes", "inbox", "complete_scan_interval_seconds", "overlap_seconds"],
                          at: "daemon.")
            if let host = try string(d, "listen_host", at: "daemon.", required: false) { daemon.listenHost = host }
            if let v = d["listen_port"] {
                guard let n = v.int, (0...65_535).contains(n) else {
                    throw ConfigurationError(key: "daemon.listen_port", message: "must be a port number from 0 to 65535 (0 picks a free port)")
                }
                daemon.listenPort = n
            }
            if let v = d["max_body_bytes"] {
                guard let n = v.int, (1_024...(64 << 20)).contains(n) else {
                    throw ConfigurationError(key: "daemon.max_body_bytes", message: "must be a whole number of bytes from 1024 to 67108864")
                }
                daemon.maxBodyBytes = n
            }
            if let inbox = try string(d, "inbox", at: "daemon.", required: false) { daemon.inboxPath = inbox }
            if let v = d["complete_scan_interval_seconds"] {
                guard let n = v.int, (0...604_800).contains(n) else {
                    throw ConfigurationError(key: "daemon.complete_scan_interval_seconds",
                                             message: "must be a whole number of seconds from 0 (every pass scans completely) to 604800 (a week)")
                }
                daemon.completeScanIntervalSeconds = n
            }
            if let v = d["overlap_seconds"] {
                guard let n = v.int, (0...86_400).contains(n) else {
                    throw ConfigurationError(key: "daemon.overlap_seconds", message: "must be a whole number of seconds from 0 to 86400")
                }
                daemon.overlapSeconds = n
            }
        }
        guard let storeList = root["stores"]?.array else { throw ConfigurationError(key: "stores", message: "is missing: add a list of stores (it may be empty)") }
        var stores: [Store] = []
        for (i, item) in storeList.enumerated() {
            let at = "stores[\(i)]."
            guard let o = item.object else { throw ConfigurationError(key: "stores[\(i)]", message: "must be an object") }
            try checkKeys(o, allowed: ["name", "kind", "url", "api_version", "access_token_env", "api_key_env", "password_env",
                                       "consumer_key_env", "consumer_secret_env", "webhook_secret_env", "auth", "creates",
                                       "archive_on_delete", "calls_per_second", "finalize_on"], at: at)
            let name = try string(o, "name", at: at, required: true)!
            guard name != "oorden", name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw ConfigurationError(key: at + "name", message: "\"\(name)\" must be letters, digits, '-' or '_', and not \"oorden\"")
            }
            guard !stores.contains(where: { $0.name == name }) else { throw ConfigurationError(key: at + "name", message: "\"\(name)\" is used by two stores") }
            let kindText = try string(o, "kind", at: at, required: true)!
            guard let kind = StoreKind(rawValue: kindText) else {
                throw ConfigurationError(key: at + "kind", message: "\"\(kindText)\" is not a store kind; use shopify or woocommerce")
            }
            var url = try string(o, "url", at: at, required: true)!
            while url.hasSuffix("/") { url.removeLast() }
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw ConfigurationError(key: at + "url", message: "\"\(url)\" must start with https:// (or http:// for a local test store)")
            }
            var creates: Set<EntityKind> = [.contact, .product]
            if let list = o["creates"] {
                guard let items = list.array else { throw ConfigurationError(key: at + "creates", message: "must be a list such as [\"contact\", \"product\"]") }
                creates = []
                for v in items {
                    guard let k = v.string.flatMap(EntityKind.init(rawValue:)), k != .order else {
                        throw ConfigurationError(key: at + "creates", message: "\(v.jsonText) is not contact or product")
                    }
                    creates.insert(k)
                }
            }
            var archive = true
            if let v = o["archive_on_delete"] {
                guard let b = v.bool else { throw ConfigurationError(key: at + "archive_on_delete", message: "must be true or false") }
                archive = b
            }
            var calls = 2
            if let v = o["calls_per_second"] {
                guard let n = v.int, (1...1_000).contains(n) else { throw ConfigurationError(key: at + "calls_per_second", message: "must be a whole number from 1 to 1000") }
                calls = n
            }
            let store = Store(
                name: name, kind: kind, url: url, apiVersion: try string(o, "api_version", at: at, required: false) ?? "2024-10",
                accessTokenEnv: try string(o, "access_token_env", at: at, required: false),
                apiKeyEnv: try string(o, "api_key_env", at: at, required: false),
                passwordEnv: try string(o, "password_env", at: at, required: false),
                consumerKeyEnv: try string(o, "consumer_key_env", at: at, required: false),
                consumerSecretEnv: try string(o, "consumer_secret_env", at: at, required: false),
                webhookSecretEnv: try string(o, "webhook_secret_env", at: at, required: false),
                auth: try string(o, "auth", at: at, required: false), creates: creates, archiveOnDelete: archive, callsPerSecond: calls,
                finalizeOn: try string(o, "finalize_on", at: at, required: false))
            switch kind {
            case .shopify:
                guard store.accessTokenEnv != nil || (store.apiKeyEnv != nil && store.passwordEnv != nil) else {
                    throw ConfigurationError(key: at + "access_token_env", message: "is missing: name the environment variable holding the Admin API access token (or give api_key_env and password_env)")
                }
            case .woocommerce:
                guard store.consumerKeyEnv != nil, store.consumerSecretEnv != nil else {
                    throw ConfigurationError(key: at + (store.consumerKeyEnv == nil ? "consumer_key_env" : "consumer_secret_env"),
                                             message: "is missing: name the environment variable holding the REST API consumer key/secret")
                }
                if let auth = store.auth, !["basic", "query", "oauth1"].contains(auth) {
                    throw ConfigurationError(key: at + "auth", message: "\"\(auth)\" is not basic, query or oauth1")
                }
            }
            stores.append(store)
        }
        return SyncConfiguration(engineDatabase: database, ledgerPath: ledgerPath, stores: stores, pollIntervalSeconds: poll,
                                 daemon: daemon, baseDirectory: baseDirectory)
    }

    static func checkKeys(_ o: [String: JSONValue], allowed: Set<String>, at prefix: String) throws {
        for key in o.keys.sorted() where !allowed.contains(key) {
            throw ConfigurationError(key: prefix + key, message: "is not a known key; known here: \(allowed.sorted().joined(separator: ", "))")
        }
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
