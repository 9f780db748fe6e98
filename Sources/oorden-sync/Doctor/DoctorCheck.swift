import SyncCore

/// One line of `oorden-sync doctor`: what was checked, how it went, and what to do about it.
struct DoctorCheck: Sendable, Hashable {
    enum Status: String, Sendable, Hashable {
        case ok
        /// Something is wrong: the message says what and how to fix it.
        case fail
        /// Not checked because an earlier check failed (or the user left it out).
        case skipped
    }

    /// `connectivity`, `credentials`, `permissions`, `currency`, `taxes`, `webhooks`, `ledger`.
    var name: String
    var status: Status
    var message: String

    static func ok(_ name: String, _ message: String) -> DoctorCheck { DoctorCheck(name: name, status: .ok, message: message) }
    static func fail(_ name: String, _ message: String) -> DoctorCheck { DoctorCheck(name: name, status: .fail, message: message) }
    static func skipped(_ name: String, _ message: String) -> DoctorCheck { DoctorCheck(name: name, status: .skipped, message: message) }

    var json: JSONValue {
        .object(["check": .string(name), "status": .string(status.rawValue), "message": .string(message)])
    }

    /// `  ok    currency     MXN, the company's currency`
    var line: String {
        let label = status == .ok ? "ok" : (status == .fail ? "FAIL" : "skip")
        return "  \(label.padding(toLength: 5, withPad: " ", startingAt: 0)) \(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(message)"
    }
}

/// The checks of one side (Oorden, or one configured store).
struct DoctorSection: Sendable, Hashable {
    var name: String
    /// `oorden`, `shopify` or `woocommerce`.
    var kind: String
    var location: String
    var checks: [DoctorCheck]

    var failures: Int { checks.filter { $0.status == .fail }.count }

    var json: JSONValue {
        .object(["name": .string(name), "kind": .string(kind), "location": .string(location), "ok": .bool(failures == 0),
                 "checks": .array(checks.map(\.json))])
    }
}
