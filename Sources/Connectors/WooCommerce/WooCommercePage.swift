import Foundation
import SyncCore

/// Page-number paging of WooCommerce lists through `X-WP-Total` / `X-WP-TotalPages`.
///
/// ```swift
/// // X-WP-TotalPages: 3
/// WooCommercePage.nextPage(after: 1, headers: response.headers)   // 2
/// WooCommercePage.nextPage(after: 3, headers: response.headers)   // nil
/// ```
public enum WooCommercePage {
    /// `X-WP-TotalPages`, when present and numeric.
    public static func totalPages(from headers: HeaderFields) -> Int? {
        headers["X-WP-TotalPages"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// `X-WP-Total` (number of items), when present and numeric.
    public static func totalItems(from headers: HeaderFields) -> Int? {
        headers["X-WP-Total"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The page after `page`, or `nil` when `page` was the last. Without the header a page is the
    /// last one when it held fewer than `perPage` items, if given (`itemCount`).
    public static func nextPage(after page: Int, headers: HeaderFields, itemCount: Int? = nil, perPage: Int? = nil) -> Int? {
        if let total = totalPages(from: headers) { return page < total ? page + 1 : nil }
        if let itemCount, let perPage, itemCount >= perPage, itemCount > 0 { return page + 1 }
        return nil
    }
}
