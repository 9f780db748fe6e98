import Foundation
import SyncCore

/// A paged read that cannot go on: a page that is not a list of records, or paging that does not end.
///
/// The store answered, but not as its API does — a wrong URL or API version, a plugin rewriting the
/// answers. The driver reports the store as failed for the pass with what to check (`unexpected_response`);
/// the next pass tries again.
package struct StorePageError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Code: String, Sendable, Hashable {
        /// The page is not JSON, or has no list of records where the API puts one.
        case notAList = "not_a_list"
        /// A page identical to an earlier one of the same read: the paging repeats itself.
        case repeated
        /// Pages kept coming for longer than ``PageTrail/limitMilliseconds``.
        case endless
    }

    package let code: Code
    package let message: String

    package init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }

    /// The records of a list response: `{"customers": [...]}` (`key`, Shopify) or a bare array
    /// (`key` nil, WooCommerce).
    package static func items(_ body: Data, key: String?, store: String) throws -> [JSONValue] {
        let doc: JSONValue
        do {
            doc = try JSONValue.parse(body)
        } catch {
            throw StorePageError(code: .notAList, message: "store \(store) sent a page that is not JSON (\(error)); check the store's URL")
        }
        let list = key.map { doc[$0] } ?? doc
        guard let items = list?.array else {
            throw StorePageError(code: .notAList,
                                 message: "store \(store) sent a page without \(key.map { "a \"\($0)\" list" } ?? "a JSON list"); check the API version and URL")
        }
        return items
    }
}
