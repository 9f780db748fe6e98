import ArgumentParser
import SyncDriver
import Foundation
import OordenLedger
import SyncCore

/// `oorden-sync ledger …`: inspect and edit the reference Oorden company ledger.
///
/// The ledger file is given with `--ledger PATH`, or found through the configuration file's
/// `ledger.path` with `--config FILE`.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Inspect and edit the reference Oorden company ledger (an SQLite file).",
        discussion: """
            Every subcommand takes --ledger PATH, the ledger's SQLite file (or --config FILE, whose \
            ledger.path names it). Create one with
            `oorden-sync ledger init --ledger company.sqlite --name "Mi Empresa" --currency MXN`.
            Fields are given as field=value words; an empty value (phone=) clears an optional field.
            """,
        subcommands: [
            LedgerInitCommand.self, LedgerListCommand.self, LedgerAddCommand.self, LedgerSetCommand.self, LedgerArchiveCommand.self,
        ]
    )
}

/// The options every `ledger` subcommand shares.
struct LedgerLocation: ParsableArguments {
    @Option(name: .customLong("ledger"), help: ArgumentHelp("The ledger's SQLite file.", valueName: "PATH"))
    var ledgerOption: String?

    @Option(name: .long, help: ArgumentHelp("The configuration file whose ledger.path names the ledger.", valueName: "FILE"))
    var config: String?

    func validate() throws {
        guard (ledgerOption == nil) != (config == nil) else {
            throw ValidationError("give either --ledger PATH or --config FILE.")
        }
    }

    /// The ledger's path, from `--ledger` or the configuration file.
    var ledger: String {
        get throws {
            if let ledgerOption { return ledgerOption }
            let configuration = try SyncConfiguration.load(path: config!)
            return configuration.resolve(configuration.ledgerPath)
        }
    }

    /// Opens an existing ledger; a missing file is an error rather than a new empty ledger.
    func openExisting() throws -> OordenLedger {
        let ledger = try self.ledger
        guard FileManager.default.fileExists(atPath: ledger) else {
            throw LedgerError(.storage, "no ledger at \(ledger); create one with `oorden-sync ledger init --ledger \(ledger) --name … --currency …`")
        }
        return try OordenLedger(path: ledger, clock: SystemWallClock())
    }
}

/// The record kinds `add`, `set` and `archive` work on.
enum LedgerRecordKind: String, ExpressibleByArgument, CaseIterable {
    case contact, product, tax, movement
}

/// `ledger init`: create a ledger file with its company.
struct LedgerInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a ledger file for a company.")

    @OptionGroup var location: LedgerLocation

    @Option(name: .long, help: "The company's name.")
    var name: String

    @Option(name: .long, help: "The company's main currency (ISO 4217, e.g. MXN).")
    var currency: String

    func run() throws {
        let path = try location.ledger
        let ledger = try OordenLedger(path: path, clock: SystemWallClock())
        if let existing = try ledger.company() {
            throw LedgerError(.invalidValue, "\(path) already holds company \(existing.name) (\(existing.currency)); choose another path")
        }
        let company = try ledger.setCompany(name: name, currency: currency)
        printSafe("created ledger \(path) for \(company.name) (\(company.currency))")
    }
}

/// `ledger list contacts|products|taxes|orders|sales|movements [--json]`.
struct LedgerListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List records as a table, or as JSON with --json.")

    @OptionGroup var location: LedgerLocation

    @Argument(help: ArgumentHelp("What to list: \(LedgerListKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
    var kind: String

    @Flag(name: .long, help: "Print a JSON array instead of a table.")
    var json = false

    func validate() throws {
        guard LedgerListKind(rawValue: kind) != nil else {
            throw ValidationError("cannot list \"\(kind)\"; accepted: \(LedgerListKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let listing = try LedgerListing(LedgerListKind(rawValue: kind)!, of: location.openExisting())
        printSafe(json ? listing.json.jsonText : listing.table(), terminator: json ? "\n" : "")
    }
}

/// `ledger add contact|product|tax field=value…`.
struct LedgerAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a contact, product, tax or stock movement (purchase or adjustment).",
        discussion: """
            contact: \(LedgerFieldAssignments.contactFields.joined(separator: ", "))
            product: \(LedgerFieldAssignments.productFields.joined(separator: ", ")) (sku, name, price required)
            tax: \(LedgerFieldAssignments.taxFields.joined(separator: ", ")) (both required; percentage=16 for 16 %)
            movement: \(LedgerFieldAssignments.movementFields.joined(separator: ", ")) (kind is purchase or adjustment, default purchase)
            """)

    @OptionGroup var location: LedgerLocation

    @Argument(help: "contact, product, tax or movement.")
    var kind: LedgerRecordKind

    @Argument(help: ArgumentHelp("Fields as field=value.", valueName: "field=value"))
    var fields: [String] = []

    @Flag(name: .long, help: "Print the new record as JSON.")
    var json = false

    func run() throws {
        let assignments = try LedgerFieldAssignments(parsing: fields)
        let ledger = try location.openExisting()
        switch kind {
        case .contact:
            let contact = try ledger.createContact(try assignments.newContact())
            printSafe(json ? contact.json.jsonText : "created contact \(contact.id)")
        case .product:
            let product = try ledger.createProduct(try assignments.newProduct())
            printSafe(json ? product.json(stock: 0).jsonText : "created product \(product.id) (\(product.sku))")
        case .tax:
            let tax = try ledger.createTax(try assignments.newTax())
            printSafe(json ? tax.json.jsonText : "created tax \(tax.id) (\(tax.name) \(tax.percentage) %)")
        case .movement:
            let movement = try ledger.recordMovement(try assignments.newMovement())
            let stock = try ledger.stockOnHand(productID: movement.productID)
            printSafe(json ? movement.json.jsonText : "recorded \(movement.kind.rawValue) \(movement.quantity) of product \(movement.productID); stock now \(stock)")
        }
    }
}

/// `ledger set contact|product <id> field=value…` and `ledger set order <number-or-id> field=value… [--cancel]`.
struct LedgerSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change fields of a contact, product or sales order, or cancel a sales order.",
        discussion: """
            contact: \(LedgerFieldAssignments.contactFields.joined(separator: ", "))
            product: \(LedgerFieldAssignments.productFields.joined(separator: ", "))
            order (by number, e.g. PED-000001, or id): \(LedgerFieldAssignments.orderFields.joined(separator: ", ")); \
            shipping_address is a JSON object or is given field by field as shipping_address.KEY=value, \
            KEY one of \(LedgerFieldAssignments.orderAddressKeys.joined(separator: ", ")); --cancel cancels an open order. \
            The next sync pass writes an order's changes to its store.
            Example: oorden-sync ledger set order PED-000001 note="Entregar por la tarde" shipping_address.city=Querétaro fulfilled=yes --ledger company.sqlite
            A bad value, an unknown order or a change the ledger forbids (cancelling an invoiced order) changes nothing.
            """)

    @OptionGroup var location: LedgerLocation

    @Argument(help: "contact, product or order.")
    var kind: LedgerSetKind

    @Argument(help: ArgumentHelp("The record's id; for an order its number (PED-000001) or id.", valueName: "id"))
    var id: String

    @Argument(help: ArgumentHelp("Fields as field=value.", valueName: "field=value"))
    var fields: [String] = []

    @Flag(name: .long, help: "Orders: cancel the order (it must be open; an invoiced order is credited instead).")
    var cancel = false

    @Flag(name: .long, help: "Print the changed record as JSON.")
    var json = false

    func validate() throws {
        if cancel, kind != .order { throw ValidationError("--cancel is for orders; archive a \(kind.rawValue) with `ledger archive` instead") }
        guard !fields.isEmpty || cancel else { throw ValidationError("give at least one field=value to change\(kind == .order ? " or --cancel" : "")") }
        if kind != .order, Int64(id) == nil { throw ValidationError("the \(kind.rawValue) id must be a number (see `ledger list \(kind.rawValue)s`), not \"\(id)\"") }
    }

    func run() throws {
        let assignments = try LedgerFieldAssignments(parsing: fields)
        let ledger = try location.openExisting()
        switch kind {
        case .contact:
            let contact = try ledger.updateContact(Int64(id)!) { try assignments.applyContact(to: &$0) }
            printSafe(json ? contact.json.jsonText : "updated contact \(contact.id)")
        case .product:
            let product = try ledger.updateProduct(Int64(id)!) { try assignments.applyProduct(to: &$0) }
            printSafe(json ? product.json(stock: try ledger.stockOnHand(productID: product.id)).jsonText : "updated product \(product.id) (\(product.sku))")
        case .order:
            let change = try LedgerOrderChange(assignments: assignments, cancel: cancel)
            let order = try change.apply(to: ledger.salesOrder(numberOrID: id), in: ledger)
            printSafe(json ? order.json.jsonText : change.confirmation(order))
        }
    }
}

/// The record kinds `ledger set` changes.
enum LedgerSetKind: String, ExpressibleByArgument, CaseIterable {
    case contact, product, order
}

/// One `ledger set order` request, checked before anything is written so a bad request changes nothing.
///
/// The field edits go through ``OordenLedger/updateSalesOrder(_:origin:edit:)`` and the cancellation
/// through ``OordenLedger/cancelSalesOrder(_:origin:)`` — the Oorden-side order edits the sync engine
/// writes back to the order's store. Both calls refuse what the ledger forbids; as they are two
/// writes, everything that could make the second one fail is checked first.
struct LedgerOrderChange {
    let assignments: LedgerFieldAssignments
    let cancel: Bool

    init(assignments: LedgerFieldAssignments, cancel: Bool) throws {
        self.assignments = assignments
        self.cancel = cancel
        // Malformed values are refused here, before the order is looked up.
        var probe = SalesOrderEdit(note: nil, shippingAddress: nil, fulfilled: false)
        try assignments.applyOrder(to: &probe)
    }

    func apply(to order: SalesOrder, in ledger: OordenLedger) throws -> SalesOrder {
        var edit = SalesOrderEdit(note: order.note, shippingAddress: order.shippingAddress, fulfilled: order.fulfilled)
        try assignments.applyOrder(to: &edit)
        if cancel {
            switch order.status {
            case .open: break
            case .invoiced:
                throw LedgerError(.orderInvoiced, "sales order \(order.number) is invoiced and cannot be cancelled; create a credit note against its sale instead. Nothing was changed.")
            case .cancelled:
                throw LedgerError(.orderNotOpen, "sales order \(order.number) is already cancelled. Nothing was changed.")
            }
            if edit.fulfilled && !order.fulfilled {
                throw LedgerError(.orderNotOpen, "sales order \(order.number) cannot be marked fulfilled and cancelled at once; give one of them. Nothing was changed.")
            }
        }
        var changed = order
        if !assignments.assignments.isEmpty { changed = try ledger.updateSalesOrder(order.id) { $0 = edit } }
        if cancel { changed = try ledger.cancelSalesOrder(order.id) }
        return changed
    }

    /// "updated sales order PED-000001 (id 3): note, fulfilled; cancelled; the next sync pass writes it to store tienda (order 1001)".
    func confirmation(_ order: SalesOrder) -> String {
        var parts: [String] = []
        if !assignments.assignments.isEmpty { parts.append(assignments.assignments.map(\.field).joined(separator: ", ")) }
        if cancel { parts.append("cancelled") }
        let store = order.externalReference.map { "; the next sync pass writes it to store \($0.store) (order \($0.remoteID))" } ?? ""
        return "updated sales order \(order.number) (id \(order.id)): \(parts.joined(separator: "; "))\(store)"
    }
}

/// `ledger archive contact|product <id>`.
struct LedgerArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "archive", abstract: "Archive a contact or product (it stays in documents).")

    @OptionGroup var location: LedgerLocation

    @Argument(help: "contact or product.")
    var kind: LedgerRecordKind

    @Argument(help: "The record's id.")
    var id: Int64

    func validate() throws {
        guard kind == .contact || kind == .product else { throw ValidationError("only contacts and products can be archived") }
    }

    func run() throws {
        let ledger = try location.openExisting()
        switch kind {
        case .contact:
            try ledger.setContactArchived(id, true)
            printSafe("archived contact \(id)")
        case .product:
            try ledger.archiveProduct(id)
            printSafe("archived product \(id)")
        case .tax, .movement:
            break
        }
    }
}
