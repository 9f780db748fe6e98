import SyncCore
import SyncDriver

/// The exit statuses of `oorden-sync sync --once`, so a cron job or script can tell a complete pass
/// from one that synced only some stores, and both from one that could not run.
enum SyncExitStatus {
    /// Every store that is not refused (currency) was synced. Held records are not failures.
    static let complete: Int32 = 0
    /// The pass could not run at all: configuration, ledger or engine error (the message says which).
    static let couldNotRun: Int32 = 1
    /// The pass ran, but one or more stores failed (unreachable, credentials refused, …); every
    /// other store was synced. The summary names each failing store with the fix.
    static let partial: Int32 = 3
}

/// What `sync --once` prints: one pass's summary, the stores refused for their currency and the
/// stores that failed, each failing one named with its URL, the error and what to do.
struct SyncReport {
    let summary: SyncPassSummary
    /// Stores not connected because their currency differs from the company's, with the refusal.
    let refused: [String: String]
    let configuration: SyncConfiguration
    /// The configuration file as given on the command line, for the advice.
    let configPath: String

    /// The configured store named `name`, with its index in `stores[]`.
    func store(named name: String) -> (index: Int, store: SyncConfiguration.Store)? {
        configuration.stores.firstIndex { $0.name == name }.map { ($0, configuration.stores[$0]) }
    }

    /// What to do about `failure`, from the store's configuration.
    func fix(for failure: StoreFailure) -> String {
        guard let (index, store) = store(named: failure.store) else { return "Run `oorden-sync doctor --config \(configPath)`." }
        return store.fix(for: failure, index: index, configPath: configPath)
    }

    /// The failing stores in name order.
    var failures: [StoreFailure] { summary.failures.values.sorted { $0.store < $1.store } }

    // MARK: Text

    /// The summary as lines: per store what it pulled and pushed and what its orders became, the
    /// failing stores with error and fix, Oorden's totals, and a closing "Partial" line when stores failed.
    var text: String {
        var lines: [String] = []
        for (name, message) in refused.sorted(by: { $0.key < $1.key }) { lines.append("\(name): refused — \(message)") }
        for (name, c) in summary.stores.sorted(by: { $0.key < $1.key }) {
            lines.append("\(name): pulled \(c.contactsPulled) customers, \(c.productsPulled) SKUs; \(c.created) new, \(c.linked) linked, \(c.updated) updated, \(c.deleted) deleted, \(c.held) held; \(c.pushed) writes, \(c.pushFailures) refused")
            lines.append("\(name): \(c.ordersText)")
        }
        for failure in failures { lines += failureLines(failure) }
        lines.append("Oorden: \(summary.oordenCreates) created, \(summary.oordenLinks) linked, \(summary.oordenUpdates) updated; \(summary.heldRecords) records held (oorden-sync problems --config \(configPath))")
        if summary.isPartial { lines.append(partialLine) }
        return lines.joined(separator: "\n")
    }

    func failureLines(_ failure: StoreFailure) -> [String] {
        let location = store(named: failure.store).map { " (\($0.store.kind.rawValue) at \($0.store.url))" } ?? ""
        return [
            "\(failure.store)\(location): FAILED while \(failure.step.phrase)",
            "  error: \(failure.message)",
            "  fix:   \(fix(for: failure))",
        ]
    }

    /// "Partial: 1 of 3 stores failed (tienda-caida); …" — also written to standard error.
    var partialLine: String {
        let total = configuration.stores.count
        let names = failures.map(\.store).joined(separator: ", ")
        return "Partial: \(failures.count) of \(total) stores failed (\(names)); the others were synced. Exit status \(SyncExitStatus.partial)."
    }

    // MARK: JSON

    /// `{"stores", "failed", "partial", "refused", "oorden", "held_records"}`; see docs/cli.md.
    var json: JSONValue {
        .object([
            "stores": .object(summary.stores.mapValues(Self.countsJSON)),
            "failed": .object(Dictionary(uniqueKeysWithValues: failures.map { ($0.store, failureJSON($0)) })),
            "partial": .bool(summary.isPartial),
            "refused": .object(refused.mapValues { .string($0) }),
            "oorden": .object(["created": .integer(summary.oordenCreates), "updated": .integer(summary.oordenUpdates),
                               "linked": .integer(summary.oordenLinks)]),
            "held_records": .integer(summary.heldRecords),
        ])
    }

    static func countsJSON(_ c: SyncPassSummary.StoreCounts) -> JSONValue {
        .object([
            "contacts_pulled": .integer(c.contactsPulled), "products_pulled": .integer(c.productsPulled),
            "created": .integer(c.created), "linked": .integer(c.linked), "updated": .integer(c.updated),
            "held": .integer(c.held), "deleted": .integer(c.deleted), "pushed": .integer(c.pushed),
            "push_failures": .integer(c.pushFailures),
            "orders_pulled": .integer(c.ordersPulled), "orders_held": .integer(c.ordersHeld), "sales_orders": .integer(c.salesOrders),
            "sales": .integer(c.sales), "cancellations": .integer(c.cancellations), "credit_notes": .integer(c.creditNotes),
        ])
    }

    func failureJSON(_ failure: StoreFailure) -> JSONValue {
        let configured = store(named: failure.store)?.store
        return .object([
            "kind": configured.map { .string($0.kind.rawValue) } ?? .null,
            "url": configured.map { .string($0.url) } ?? .null,
            "step": .string(failure.step.rawValue),
            "error_kind": .string(failure.kind.rawValue),
            "status": failure.status.map { .integer($0) } ?? .null,
            "error": .string(failure.message),
            "fix": .string(fix(for: failure)),
        ])
    }
}
