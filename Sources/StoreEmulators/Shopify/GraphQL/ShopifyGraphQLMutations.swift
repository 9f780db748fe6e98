internal import GraphQL
import SyncCore

/// The mutation root: a reference box around a mutable copy of the shop.
///
/// ``ShopifyShop/handleGraphQL(_:)`` copies the shop in, runs a mutation operation with this box
/// as the root value and writes ``shop`` back afterwards. Each mutation field calls the REST-side
/// functions of ``ShopifyShop`` (same validation, `updated_at`, webhooks) and answers with payload
/// objects rendered from a value snapshot taken right after the change, so nested selections
/// never touch the box.
///
/// `@unchecked Sendable`: GraphQL executes the root fields of a mutation one after another
/// (never concurrently), all on ``BlockingTaskRunner``'s single thread, and the caller reads
/// ``shop`` back only after that task has signalled completion.
final class ShopifyGraphQLMutations: @unchecked Sendable {
    var shop: ShopifyShop
    /// The Admin API version of the request path (`2026-10`, `unstable`).
    let apiVersion: String
    /// Where the result URLs of bulk operations started by this request point (`https://host`).
    var bulkResultBase = ""

    init(shop: ShopifyShop, apiVersion: String) {
        self.shop = shop
        self.apiVersion = apiVersion
    }

    /// Whether the request's API version is `version` or newer (`unstable` is newest).
    func versionAtLeast(_ version: String) -> Bool {
        apiVersion == "unstable" || apiVersion >= version
    }

    /// A value snapshot of the shop as it is now, for rendering payloads.
    var view: ShopifyGraphQLRoot { ShopifyGraphQLRoot(shop: shop) }

    /// One mutation root field. `idempotencyKey` is the `@idempotent(key:)` on the field, if any.
    func resolve(_ name: String, _ args: Map, idempotencyKey: String?) throws -> (any Sendable)? {
        switch name {
        case "inventoryAdjustQuantities": return try inventoryAdjustQuantities(args, idempotencyKey: idempotencyKey)
        case "customerCreate": return customerSave(args, creating: true)
        case "customerUpdate": return customerSave(args, creating: false)
        case "metafieldsSet": return metafieldsSet(args)
        case "productCreate": return productSave(args, creating: true)
        case "productUpdate": return productSave(args, creating: false)
        case "productSet": return productSet(args)
        case "customerAddressCreate": return customerAddressSave(args, creating: true)
        case "customerAddressUpdate": return customerAddressSave(args, creating: false)
        case "productVariantsBulkUpdate": return variantsBulkUpdate(args)
        case "orderUpdate": return orderUpdate(args)
        case "orderCancel": return orderCancel(args)
        case "fulfillmentCreate": return fulfillmentCreate(args)
        case "webhookSubscriptionCreate": return webhookSubscriptionCreate(args)
        case "webhookSubscriptionUpdate": return webhookSubscriptionUpdate(args)
        case "webhookSubscriptionDelete": return webhookSubscriptionDelete(args)
        case "bulkOperationRunQuery": return bulkOperationRunQuery(args)
        case "bulkOperationCancel": return bulkOperationCancel(args)
        default: return nil
        }
    }

    /// Runs `body` on the shop; on a thrown error the shop is restored to what it was before, so a
    /// refused mutation changes nothing (no ids used, no webhooks queued).
    func transaction<T>(_ body: (inout ShopifyShop) throws -> T) rethrows -> T {
        let before = shop
        do {
            return try body(&shop)
        } catch {
            shop = before
            throw error
        }
    }

    /// Runs `body` as a ``transaction(_:)``; the REST-side error or a thrown ``ShopifyUserError``
    /// comes back as user errors (REST field names prefixed by `prefix`).
    func attempt<T>(prefix: [String] = [], code: String? = nil, _ body: (inout ShopifyShop) throws -> T) -> Result<T, ShopifyUserErrors> {
        do {
            return .success(try transaction(body))
        } catch let error as ShopifyUserError {
            return .failure(ShopifyUserErrors([error]))
        } catch let error as ShopifyEmulatorError {
            return .failure(ShopifyUserErrors(ShopifyUserError.from(error, prefix: prefix, code: code)))
        } catch {
            return .failure(ShopifyUserErrors([ShopifyUserError(nil, "\(error)", code: code)]))
        }
    }

    /// The `userErrors` list of a result (empty on success).
    static func objects<T>(_ result: Result<T, ShopifyUserErrors>) -> [(any Sendable)?] {
        guard case .failure(let errors) = result else { return [] }
        return errors.list.map { $0.object as (any Sendable)? }
    }
}

/// A user error as the payloads carry it (`UserError` and the typed `…UserError`s).
struct ShopifyUserError: Error, Sendable {
    var field: [String]?
    var message: String
    var code: String?
    /// `MetafieldsSetUserError.elementIndex`: which input element was refused.
    var elementIndex: Int?

    init(_ field: [String]?, _ message: String, code: String? = nil) {
        self.field = field
        self.message = message
        self.code = code
    }

    var object: ShopifyGraphQLObject {
        .values([
            "field": field.map { $0.map { $0 as (any Sendable)? } },
            "message": message,
            "code": code.map { Map.string($0) },
            "elementIndex": elementIndex,
        ])
    }

    /// The REST error as user errors: `{"errors": {"email": ["has already been taken"]}}` becomes
    /// `field: [prefix…, "email"]`, `message: "Email has already been taken"` (Rails' full message).
    static func from(_ error: ShopifyEmulatorError, prefix: [String], code: String? = nil) -> [ShopifyUserError] {
        guard case .object(let fields)? = error.body["errors"] else {
            return [ShopifyUserError(prefix.isEmpty ? nil : prefix, error.status == 404 ? "Not found" : error.message, code: code)]
        }
        return fields.sorted { $0.key < $1.key }.flatMap { key, value -> [ShopifyUserError] in
            let messages = value.array?.compactMap(\.string) ?? [value.string ?? "is invalid"]
            let path = key.split(separator: ".").map { camelCase(String($0)) }
            let name = humanized(String(key.split(separator: ".").last ?? ""))
            return messages.map { m in
                switch key {
                case "base": return ShopifyUserError(prefix.isEmpty ? nil : prefix, m, code: code)
                // An error on the record as a whole ("Customer must have a name, …") names no field.
                case "customer", "product", "order": return ShopifyUserError(prefix.isEmpty ? nil : prefix, "\(name) \(m)", code: code)
                default: return ShopifyUserError(prefix + path, "\(name) \(m)", code: code)
                }
            }
        }
    }

    static func camelCase(_ snake: String) -> String {
        let parts = snake.split(separator: "_")
        return (parts.first.map(String.init) ?? "") + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func humanized(_ snake: String) -> String {
        let words = snake.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}

/// The user errors of a refused mutation, as the failure of a `Result`.
struct ShopifyUserErrors: Error, Sendable {
    var list: [ShopifyUserError]

    init(_ list: [ShopifyUserError]) { self.list = list }
}

/// Arguments and input objects as JSON, the shape the REST-side functions take.
enum ShopifyGraphQLInput {
    /// The value as JSON; `nil` when it was not given (`undefined`), so an omitted input field is
    /// absent from the object while an explicit `null` stays `null`.
    static func json(_ m: Map) -> JSONValue? {
        switch m {
        case .undefined: return nil
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n):
            if n.storageType == .double { return .number(String(n.doubleValue)) }
            return .integer(n.intValue)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map { json($0) ?? .null })
        case .dictionary(let d):
            var out: [String: JSONValue] = [:]
            for (k, v) in d { if let j = json(v) { out[k] = j } }
            return .object(out)
        }
    }

    /// An input object argument as a JSON object (empty when missing).
    static func object(_ m: Map) -> [String: JSONValue] { json(m)?.object ?? [:] }

    /// Copies the GraphQL field `from` to the REST key `to` when it was given (`null` included).
    static func copy(_ input: [String: JSONValue], _ from: String, to: String, into out: inout [String: JSONValue]) {
        if let v = input[from] { out[to] = v }
    }
}
