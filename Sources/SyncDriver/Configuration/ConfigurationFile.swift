import Connectors
import Foundation
import SyncCore

/// The configuration file's sections as decoded, each validated where it is read so a message can
/// name the key. ``SyncConfiguration/parse(_:baseDirectory:)`` turns them into a ``SyncConfiguration``
/// and checks what spans sections (unique store names, distinct database files).
struct ConfigurationFile: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case engine, ledger, polling, daemon, stores }

    var engineDatabase: String
    var ledgerPath: String
    var pollIntervalSeconds: Int
    var daemon: SyncConfiguration.Daemon
    var stores: [SyncConfiguration.Store]

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictObject(Keys.self)
        engineDatabase = try c.required(EngineSection.self, .engine, ": add {\"database\": \"oorden-sync.sqlite\"}").database
        ledgerPath = try c.required(LedgerSection.self, .ledger, ": add {\"path\": \"empresa.sqlite\"}").path
        pollIntervalSeconds = try c.decodeIfPresent(PollingSection.self, forKey: .polling)?.intervalSeconds ?? PollingSection.defaultInterval
        daemon = try c.decodeIfPresent(DaemonSection.self, forKey: .daemon)?.daemon ?? SyncConfiguration.Daemon()
        stores = try c.required([StoreSection].self, .stores, ": add a list of stores (it may be empty)").map(\.store)
    }
}

extension KeyedDecodingContainer {
    /// ``required(_:_:)`` with the type spelled out, for call sites that map the result.
    func required<T: Decodable>(_ type: T.Type, _ key: Key, _ hint: String = "") throws -> T {
        try required(key, hint)
    }
}

/// `engine`: `{"database": "oorden-sync.sqlite"}`.
struct EngineSection: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case database }
    var database: String

    init(from decoder: any Decoder) throws {
        database = try decoder.strictObject(Keys.self).requiredText(.database)
    }
}

/// `ledger`: `{"path": "empresa.sqlite"}`.
struct LedgerSection: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case path }
    var path: String

    init(from decoder: any Decoder) throws {
        path = try decoder.strictObject(Keys.self).requiredText(.path)
    }
}

/// `polling`: `{"interval_seconds": 300}`.
struct PollingSection: Decodable {
    static let defaultInterval = 300
    enum Keys: String, CodingKey, CaseIterable { case intervalSeconds = "interval_seconds" }
    var intervalSeconds: Int

    init(from decoder: any Decoder) throws {
        intervalSeconds = try decoder.strictObject(Keys.self)
            .number(.intervalSeconds, in: 5...86_400, default: Self.defaultInterval, "a whole number of seconds from 5 to 86400")
    }
}

/// `daemon`: the receiver, the inbox and the polling cadence of `oorden-sync run`.
struct DaemonSection: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case listenHost = "listen_host", listenPort = "listen_port", maxBodyBytes = "max_body_bytes", inbox
        case completeScanIntervalSeconds = "complete_scan_interval_seconds", overlapSeconds = "overlap_seconds"
        case inboxRetentionDays = "inbox_retention_days"
        case maxConnections = "max_connections", idleTimeoutSeconds = "idle_timeout_seconds", requestTimeoutSeconds = "request_timeout_seconds"
    }

    var daemon = SyncConfiguration.Daemon()

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictObject(Keys.self)
        let d = SyncConfiguration.Daemon()
        daemon.listenHost = try c.text(.listenHost) ?? d.listenHost
        daemon.listenPort = try c.number(.listenPort, in: 0...65_535, default: d.listenPort, "a port number from 0 to 65535 (0 picks a free port)")
        daemon.maxBodyBytes = try c.number(.maxBodyBytes, in: 1_024...(64 << 20), default: d.maxBodyBytes, "a whole number of bytes from 1024 to 67108864")
        daemon.inboxPath = try c.text(.inbox) ?? d.inboxPath
        daemon.completeScanIntervalSeconds = try c.number(
            .completeScanIntervalSeconds, in: 0...604_800, default: d.completeScanIntervalSeconds,
            "a whole number of seconds from 0 (every pass scans completely) to 604800 (a week)")
        daemon.overlapSeconds = try c.number(.overlapSeconds, in: 0...86_400, default: d.overlapSeconds, "a whole number of seconds from 0 to 86400")
        daemon.inboxRetentionDays = try c.number(.inboxRetentionDays, in: 1...3_650, default: d.inboxRetentionDays,
                                                 "a whole number of days from 1 to 3650")
        daemon.maxConnections = try c.number(.maxConnections, in: 8...65_536, default: d.maxConnections,
                                             "a whole number of connections from 8 to 65536 (keep it under ulimit -n)")
        daemon.idleTimeoutSeconds = try c.number(.idleTimeoutSeconds, in: 1...3_600, default: d.idleTimeoutSeconds,
                                                 "a whole number of seconds from 1 to 3600")
        daemon.requestTimeoutSeconds = try c.number(.requestTimeoutSeconds, in: 1...3_600, default: d.requestTimeoutSeconds,
                                                    "a whole number of seconds from 1 to 3600")
    }
}

/// One entry of `stores`.
struct StoreSection: Decodable {
    enum Keys: String, CodingKey, CaseIterable {
        case name, kind, url, auth, creates
        case apiVersion = "api_version", accessTokenEnv = "access_token_env", apiKeyEnv = "api_key_env", passwordEnv = "password_env"
        case consumerKeyEnv = "consumer_key_env", consumerSecretEnv = "consumer_secret_env", webhookSecretEnv = "webhook_secret_env"
        case archiveOnDelete = "archive_on_delete", callsPerSecond = "calls_per_second", finalizeOn = "finalize_on"
        case allowInsecureHTTP = "allow_insecure_http", shopDomain = "shop_domain"
        case clientIDEnv = "client_id_env", clientSecretEnv = "client_secret_env", api, bulkReads = "bulk_reads"
        case timeoutSeconds = "timeout_seconds", requestDeadlineSeconds = "request_deadline_seconds"
    }

    var store: SyncConfiguration.Store

    init(from decoder: any Decoder) throws {
        let c = try decoder.strictObject(Keys.self)
        let name = try c.requiredText(.name)
        guard name != "oorden", name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ConfigurationError(key: c.path(.name), message: "\"\(name)\" must be letters, digits, '-' or '_', and not \"oorden\"")
        }
        let kindText = try c.requiredText(.kind)
        guard let kind = StoreKind(rawValue: kindText) else {
            throw ConfigurationError(key: c.path(.kind), message: "\"\(kindText)\" is not a store kind; use shopify or woocommerce")
        }
        let allowInsecure = try c.decodeIfPresent(Bool.self, forKey: .allowInsecureHTTP) ?? false
        let url = try StoreURL.validate(try c.requiredText(.url), allowInsecureHTTP: allowInsecure, sitePath: kind == .woocommerce, key: c.path(.url))
        store = SyncConfiguration.Store(
            name: name, kind: kind, url: url, apiVersion: try c.text(.apiVersion) ?? "2026-10",
            accessTokenEnv: try c.text(.accessTokenEnv), apiKeyEnv: try c.text(.apiKeyEnv), passwordEnv: try c.text(.passwordEnv),
            consumerKeyEnv: try c.text(.consumerKeyEnv), consumerSecretEnv: try c.text(.consumerSecretEnv),
            webhookSecretEnv: try c.text(.webhookSecretEnv), auth: try c.text(.auth), creates: try Self.creates(c),
            archiveOnDelete: try c.decodeIfPresent(Bool.self, forKey: .archiveOnDelete) ?? true,
            callsPerSecond: try c.number(.callsPerSecond, in: 1...1_000, default: 2, "a whole number from 1 to 1000"),
            finalizeOn: try c.text(.finalizeOn), allowInsecureHTTP: allowInsecure, shopDomain: try Self.shopDomain(c, kind: kind))
        store.shopifyAPI = try Self.shopifyAPI(c, kind: kind)
        if let bulk = try c.decodeIfPresent(Bool.self, forKey: .bulkReads) {
            guard kind == .shopify, store.shopifyAPI == .graphQL else {
                throw ConfigurationError(key: c.path(.bulkReads), message: "is for Shopify stores reached through GraphQL only (bulk operations are a GraphQL Admin API feature)")
            }
            store.bulkReads = bulk
        }
        store.clientIDEnv = try c.text(.clientIDEnv)
        store.clientSecretEnv = try c.text(.clientSecretEnv)
        store.timeoutSeconds = try c.number(.timeoutSeconds, in: 1...600, default: 30, "a whole number of seconds from 1 to 600")
        store.requestDeadlineSeconds = try c.number(.requestDeadlineSeconds, in: 1...3_600, default: max(120, store.timeoutSeconds),
                                                    "a whole number of seconds from 1 to 3600")
        guard store.requestDeadlineSeconds >= store.timeoutSeconds else {
            throw ConfigurationError(key: c.path(.requestDeadlineSeconds),
                                     message: "is \(store.requestDeadlineSeconds) s, less than timeout_seconds (\(store.timeoutSeconds) s); a request's deadline must be at least its timeout")
        }
        try Self.checkCredentials(store, c)
    }

    /// `api`: `rest` or `graphql`, for Shopify stores only.
    static func shopifyAPI(_ c: KeyedDecodingContainer<Keys>, kind: StoreKind) throws -> ShopifyAPIChoice {
        guard let text = try c.text(.api) else { return kind == .shopify ? .graphQL : .rest }
        guard kind == .shopify else {
            throw ConfigurationError(key: c.path(.api), message: "is for Shopify stores only; WooCommerce has one REST API")
        }
        guard let choice = ShopifyAPIChoice(rawValue: text.lowercased()) else {
            throw ConfigurationError(key: c.path(.api), message: "\"\(text)\" is not a Shopify API; use graphql (apps made in the Dev Dashboard) or rest (a legacy custom app)")
        }
        return choice
    }

    /// `shop_domain`: a Shopify store's `*.myshopify.com` host, compared with `X-Shopify-Shop-Domain`.
    static func shopDomain(_ c: KeyedDecodingContainer<Keys>, kind: StoreKind) throws -> String? {
        guard let text = try c.text(.shopDomain) else { return nil }
        guard kind == .shopify else {
            throw ConfigurationError(key: c.path(.shopDomain), message: "is for Shopify stores only; a WooCommerce delivery's X-WC-Webhook-Source is checked against url")
        }
        let domain = text.lowercased()
        let valid = domain.contains(".") && domain.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "." }
            && domain.unicodeScalars.allSatisfy(\.isASCII)
        guard valid else {
            throw ConfigurationError(key: c.path(.shopDomain), message: "\"\(text)\" is not a host name; write the shop's permanent domain, e.g. mi-tienda.myshopify.com (no https://, no path)")
        }
        return domain
    }

    /// `creates`: the kinds created elsewhere that are created in this store (default both).
    static func creates(_ c: KeyedDecodingContainer<Keys>) throws -> Set<EntityKind> {
        guard let names = try c.decodeIfPresent([String].self, forKey: .creates) else { return [.contact, .product] }
        var kinds: Set<EntityKind> = []
        for name in names {
            guard let kind = EntityKind(rawValue: name), kind != .order else {
                throw ConfigurationError(key: c.path(.creates), message: "\"\(name)\" is not contact or product")
            }
            kinds.insert(kind)
        }
        return kinds
    }

    /// Each kind names the variables of its credentials; WooCommerce's `auth` is one of three modes.
    static func checkCredentials(_ store: SyncConfiguration.Store, _ c: KeyedDecodingContainer<Keys>) throws {
        switch store.kind {
        case .shopify:
            let clientCredentials = store.clientIDEnv != nil || store.clientSecretEnv != nil
            if clientCredentials {
                guard store.clientIDEnv != nil, store.clientSecretEnv != nil else {
                    throw ConfigurationError(key: c.path(store.clientIDEnv == nil ? .clientIDEnv : .clientSecretEnv),
                                             message: "is missing: a Dev Dashboard app needs both client_id_env and client_secret_env (the variables holding its client id and secret)")
                }
                guard store.accessTokenEnv == nil, store.apiKeyEnv == nil, store.passwordEnv == nil else {
                    throw ConfigurationError(key: c.path(store.accessTokenEnv != nil ? .accessTokenEnv : .apiKeyEnv),
                                             message: "is given together with client_id_env and client_secret_env; keep one way of signing in: the Dev Dashboard app's client credentials, or a legacy custom app's access token")
                }
                return
            }
            guard store.accessTokenEnv != nil || (store.apiKeyEnv != nil && store.passwordEnv != nil) else {
                throw ConfigurationError(key: c.path(.clientIDEnv),
                                         message: "is missing: name the environment variables holding the Dev Dashboard app's client id and secret (client_id_env and client_secret_env), or a legacy custom app's access token (access_token_env)")
            }
        case .woocommerce:
            if store.clientIDEnv != nil || store.clientSecretEnv != nil {
                throw ConfigurationError(key: c.path(store.clientIDEnv != nil ? .clientIDEnv : .clientSecretEnv),
                                         message: "is for Shopify Dev Dashboard apps; a WooCommerce store signs in with consumer_key_env and consumer_secret_env")
            }
            guard store.consumerKeyEnv != nil, store.consumerSecretEnv != nil else {
                throw ConfigurationError(key: c.path(store.consumerKeyEnv == nil ? .consumerKeyEnv : .consumerSecretEnv),
                                         message: "is missing: name the environment variable holding the REST API consumer key/secret")
            }
            if let auth = store.auth, !["basic", "query", "oauth1"].contains(auth) {
                throw ConfigurationError(key: c.path(.auth), message: "\"\(auth)\" is not basic, query or oauth1")
            }
        }
    }
}
