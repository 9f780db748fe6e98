import Foundation
import SyncCore
import SyncDriver

extension SyncConfiguration.Store {
    /// The receiver's entry for this store, with the webhook secret read from the variable named by
    /// `webhook_secret_env`. The secret is never printed; a missing key or variable is an error naming it.
    public func webhookSecret(environment: [String: String]) throws -> WebhookReceiver.StoreSecret {
        guard let variable = webhookSecretEnv else {
            throw ConfigurationError(key: "\(name).webhook_secret_env",
                                     message: "is missing: the daemon verifies every webhook, so name the environment variable holding the store's webhook secret")
        }
        guard let secret = environment[variable], !secret.isEmpty else {
            throw ConfigurationError(key: "\(name).webhook_secret_env",
                                     message: "names the environment variable \(variable), which is not set; export it before running oorden-sync run")
        }
        return WebhookReceiver.StoreSecret(name: name, kind: kind, secret: secret)
    }
}

extension SyncConfiguration {
    /// The daemon's settings from the file: receiver, reconciliation cadence, polling and inbox retention.
    public func daemonSettings() -> SyncDaemon.Settings {
        var settings = SyncDaemon.Settings()
        settings.listenHost = daemon.listenHost
        settings.listenPort = daemon.listenPort
        settings.maxBodyBytes = daemon.maxBodyBytes
        settings.reconciliationIntervalMilliseconds = Int64(pollIntervalSeconds) * 1000
        settings.polling = daemon.pollingPolicy()
        settings.inboxRetentionMilliseconds = Int64(daemon.inboxRetentionDays) * 86_400_000
        return settings
    }
}
