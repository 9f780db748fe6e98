import Connectors
import Foundation
import SyncCore
import SyncDriver

extension SyncConfiguration.Store {
    /// The receiver's entry for this store, with the webhook secret read from the variable named by
    /// `webhook_secret_env` (for a Dev Dashboard app without it, `client_secret_env`: Shopify signs its
    /// webhooks with the client secret) and the source every delivery must name (``webhookSource()``).
    /// The secret is never printed; a missing key or variable is an error naming it.
    public func webhookSecret(environment: [String: String]) throws -> WebhookReceiver.StoreSecret {
        guard let variable = webhookSecretVariable else {
            throw ConfigurationError(key: "\(name).webhook_secret_env",
                                     message: "is missing: the daemon verifies every webhook, so name the environment variable holding the store's webhook secret")
        }
        let key = webhookSecretEnv != nil ? "webhook_secret_env" : "client_secret_env"
        guard let secret = environment[variable], !secret.isEmpty else {
            throw ConfigurationError(key: "\(name).\(key)",
                                     message: "names the environment variable \(variable), which is not set; export it before running oorden-sync run")
        }
        return WebhookReceiver.StoreSecret(name: name, kind: kind, secret: secret, source: try webhookSource())
    }

    /// What this store's deliveries must say they come from.
    ///
    /// WooCommerce: `url` (WooCommerce sends `home_url('/')` in `X-WC-Webhook-Source`). Shopify:
    /// `shop_domain` when given, else the host of `url` — the Admin API is only served on the shop's
    /// `*.myshopify.com` domain, which is what `X-Shopify-Shop-Domain` carries. A Shopify `url` on
    /// another host (an emulator on this machine) needs `shop_domain`, because nothing in the URL
    /// says which shop it stands for.
    public func webhookSource() throws -> WebhookSource {
        switch kind {
        case .woocommerce:
            return .wooCommerce(siteURL: url)
        case .shopify:
            if let shopDomain { return .shopify(shopDomain: shopDomain) }
            let host = URLComponents(string: url)?.host?.lowercased() ?? ""
            guard host.hasSuffix(".myshopify.com") else {
                throw ConfigurationError(key: "\(name).shop_domain",
                                         message: "is missing: url \(url) is not the shop's *.myshopify.com address, so the daemon cannot tell its webhooks from another shop's; add \"shop_domain\": \"<shop>.myshopify.com\" (the store emulator's is printed by oorden-sync emulate shopify)")
            }
            return .shopify(shopDomain: host)
        }
    }
}

extension SyncConfiguration {
    /// The daemon's settings from the file: receiver and its limits, reconciliation cadence, polling
    /// and inbox retention.
    public func daemonSettings() -> SyncDaemon.Settings {
        var settings = SyncDaemon.Settings()
        settings.listenHost = daemon.listenHost
        settings.listenPort = daemon.listenPort
        settings.maxBodyBytes = daemon.maxBodyBytes
        settings.receiverLimits = ReceiverLimits(maxConnections: daemon.maxConnections,
                                                 idleTimeoutMilliseconds: Int64(daemon.idleTimeoutSeconds) * 1000,
                                                 requestTimeoutMilliseconds: Int64(daemon.requestTimeoutSeconds) * 1000)
        settings.reconciliationIntervalMilliseconds = Int64(pollIntervalSeconds) * 1000
        settings.polling = daemon.pollingPolicy()
        settings.inboxRetentionMilliseconds = Int64(daemon.inboxRetentionDays) * 86_400_000
        return settings
    }
}
