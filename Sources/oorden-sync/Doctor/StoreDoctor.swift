import Connectors
import Foundation
import OordenLedger
import SyncCore
import SyncDaemon
import SyncDriver

/// Checks one configured store through its connector, in order: credentials configured,
/// connectivity, credentials accepted, read permissions, currency, tax coverage, webhooks.
///
/// A failing check skips the ones that depend on it, so each store gets one actionable failure
/// rather than a cascade.
struct StoreDoctor {
    let store: SyncConfiguration.Store
    let configPath: String
    /// The company's main currency, when the ledger has one.
    let companyCurrency: String?
    /// The ledger's taxes, when it could be read.
    let taxes: [Tax]?
    let checkWebhooks: Bool

    func run(endpoint: () throws -> StoreEndpoint) async -> DoctorSection {
        var checks: [DoctorCheck] = []
        var section: DoctorSection { DoctorSection(name: store.name, kind: store.kind.rawValue, location: store.url, checks: checks) }
        let later = ["connectivity", "credentials", "permissions", "currency", "taxes"] + (checkWebhooks ? ["webhooks"] : [])
        func skipRest(after failed: String) {
            guard let i = later.firstIndex(of: failed) else { return }
            for name in later[(i + 1)...] { checks.append(.skipped(name, "not checked: fix \(failed) first")) }
        }

        // Credentials configured: the environment variables the file names are set.
        let ep: StoreEndpoint
        do {
            ep = try endpoint()
        } catch let error as ConfigurationError {
            checks.append(.fail("credentials", "\(error.description) (\(configPath))"))
            for name in later where name != "credentials" { checks.append(.skipped(name, "not checked: fix credentials first")) }
            return section
        } catch {
            checks.append(.fail("credentials", "\(error)"))
            return section
        }

        // Connectivity and credentials: the shop's settings (Shopify shop.json, WooCommerce's currency setting).
        let platform = ep.platform(clock: SystemWallClock())
        let currency: String
        do {
            currency = try await platform.currency()
            checks.append(.ok("connectivity", "\(store.url) answers"))
            checks.append(.ok("credentials", "accepted"))
        } catch let error as StoreAPIError {
            switch error.code {
            case .transport, .timeout, .invalidRequest, .notFound, .server, .malformedResponse:
                checks.append(.fail("connectivity", "\(error.message). Check stores[].url (\(store.url)) in \(configPath): it must be the store's origin, reachable from this machine."))
                skipRest(after: "connectivity")
            case .unauthorized:
                checks.append(.ok("connectivity", "\(store.url) answers"))
                checks.append(.fail("credentials", "the store refused the credentials (HTTP \(error.status ?? 401)\(error.storeMessage.map { ": \($0)" } ?? "")). \(credentialsFix)"))
                skipRest(after: "credentials")
            case .forbidden:
                checks.append(.ok("connectivity", "\(store.url) answers"))
                checks.append(.ok("credentials", "accepted"))
                checks.append(.fail("permissions", "the credentials may not read the shop's settings (HTTP 403). \(permissionsFix)"))
                skipRest(after: "permissions")
            default:
                checks.append(.fail("connectivity", "\(error.message)"))
                skipRest(after: "connectivity")
            }
            return section
        } catch {
            checks.append(.fail("connectivity", "\(error)"))
            skipRest(after: "connectivity")
            return section
        }

        // Permissions: read access to everything a pass reads.
        var denied: [String] = []
        do {
            let permissions = try await platform.readPermissions()
            denied = permissions.denied
            if permissions.denied.isEmpty {
                checks.append(.ok("permissions", "reads \(permissions.checked.joined(separator: ", "))"))
            } else {
                let scopes = permissions.missingScopes.isEmpty ? "" : " (access scopes missing: \(permissions.missingScopes.joined(separator: ", ")))"
                checks.append(.fail("permissions", "the credentials may not read \(permissions.denied.joined(separator: ", "))\(scopes). \(permissionsFix)"))
            }
        } catch {
            checks.append(.fail("permissions", "\(error)"))
            skipRest(after: "permissions")
            return section
        }

        // Currency.
        if let companyCurrency {
            if currency.uppercased() == companyCurrency.uppercased() {
                checks.append(.ok("currency", "\(currency), the company's currency"))
            } else {
                checks.append(.fail("currency", "the store sells in \(currency) but the company's main currency is \(companyCurrency); "
                                    + "OordenSync refuses this store. Change the store's currency or connect it to a company in \(currency)."))
            }
        } else {
            checks.append(.skipped("currency", "the store sells in \(currency); not compared: fix the Oorden ledger first"))
        }

        // Tax coverage: every rate the store charges must exist in Oorden with the same exact percentage.
        if let taxes {
            do {
                let (rates, source) = try await platform.taxRatesInUse()
                let missing = rates.filter { rate in !taxes.contains { $0.percentage == rate.percent } }
                if missing.isEmpty {
                    let list = Set(rates.map(\.percent)).sorted().map { "\($0) %" }.joined(separator: ", ")
                    checks.append(.ok("taxes", rates.isEmpty ? "no tax rates in \(source)" : "every rate in \(source) exists in Oorden (\(list))"))
                } else {
                    let list = missing.map { "\($0.percent) %\($0.name.isEmpty ? "" : " (\($0.name))")" }.joined(separator: ", ")
                    let example = missing[0].percent
                    checks.append(.fail("taxes", "\(source) use \(list), which Oorden lacks: orders taxed so are held (missing_tax). "
                                        + "Create the tax in Oorden with that exact percentage (reference ledger: `oorden-sync ledger add tax "
                                        + "name=\"IVA \(example) %\" percentage=\(example) --config \(configPath)`) or correct the rate in the store."))
                }
            } catch {
                checks.append(.fail("taxes", "the store's tax rates could not be read: \(error)"))
            }
        } else {
            checks.append(.skipped("taxes", "not compared: fix the Oorden ledger first"))
        }

        // Webhooks: every topic the daemon processes is subscribed and active, to this store's receiver path.
        if checkWebhooks { checks.append(await webhookCheck(platform, denied: denied.contains("webhooks"))) }
        return section
    }

    /// Whether every topic the daemon processes has an active subscription to this store's receiver
    /// path, naming the disabled (WooCommerce turns a webhook off after more than 5 failed deliveries in a
    /// row and never retries), paused and missing ones, each with its fix.
    func webhookCheck(_ platform: any StorePlatform, denied: Bool) async -> DoctorCheck {
        let subscriptions: [WebhookSubscription]
        let wanted = platform.format.webhookTopics
        do {
            subscriptions = denied ? [] : try await platform.webhookSubscriptions()
        } catch {
            return .fail("webhooks", "the store's webhooks could not be read: \(error)")
        }
        let suffix = WebhookRegistration.receiverPath(store: store.name, kind: store.kind)
        let ours = subscriptions.filter { $0.address.hasSuffix(suffix) }
        func topics(_ status: String) -> [String] {
            wanted.filter { topic in
                let subs = ours.filter { $0.topic == topic }
                return !subs.contains { ($0.status ?? "active") == "active" } && subs.contains { $0.status == status }
            }
        }
        let disabled = topics("disabled"), paused = topics("paused")
        let missing = wanted.filter { topic in !ours.contains { $0.topic == topic } }
        guard !disabled.isEmpty || !paused.isEmpty || !missing.isEmpty else {
            let addresses = Set(ours.map(\.address)).sorted().joined(separator: ", ")
            return .ok("webhooks", "all \(wanted.count) topics delivered to \(addresses)")
        }
        var problems: [String] = []
        if !disabled.isEmpty {
            problems.append("disabled by the store after failed deliveries: \(disabled.joined(separator: ", ")) (WooCommerce never retries a "
                            + "delivery and disables a webhook after more than 5 failures in a row, so nothing arrives until it is re-activated). "
                            + "A running `oorden-sync run` re-activates them at its next reconciliation pass; to do it now, restart it, or set "
                            + "their status to Active in WooCommerce > Settings > Advanced > Webhooks.")
        }
        if !paused.isEmpty {
            problems.append("paused in the store: \(paused.joined(separator: ", ")). OordenSync leaves a paused webhook alone; "
                            + "set its status to Active in WooCommerce > Settings > Advanced > Webhooks.")
        }
        if !missing.isEmpty {
            problems.append("not subscribed to \(missing.joined(separator: ", ")) at …\(suffix). "
                            + "Run `oorden-sync run --config \(configPath) --register-webhooks https://your.public.host` once; "
                            + "use --no-webhooks if you only run `sync --once`.")
        }
        return .fail("webhooks", problems.joined(separator: " Also "))
    }

    var credentialsFix: String { store.credentialsFix }

    var permissionsFix: String { store.permissionsFix }
}
