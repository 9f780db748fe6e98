import Foundation
import SyncCore

/// Guards one paged read of a store (customers, products, variations, orders, taxes) against paging
/// that never ends: a next-page link pointing back at a page already read, a page parameter the store
/// ignores (the same page again and again), or pages that keep coming for longer than
/// ``limitMilliseconds``.
///
/// A page identical to an earlier one in the same read — the same body, byte for byte — cannot
/// happen with working paging, so it stops the read at once instead of looping; the store is
/// reported as failed for this pass (with what to check) and the next pass tries again.
///
/// ```swift
/// var trail = PageTrail(store: "tienda", what: "customers", startedAt: clock.nowMilliseconds())
/// try trail.read(response, now: clock.nowMilliseconds())
/// ```
package struct PageTrail {
    /// The longest one paged read may take, by the driver's clock: two hours (at Shopify REST's
    /// 2 calls/s, 14,400 pages of 250 records).
    package static let limitMilliseconds: Int64 = 7_200_000

    let store: String
    let what: String
    let startedAt: Int64
    private var pages = 0
    private var bodies: Set<Int> = []

    package init(store: String, what: String, startedAt: Int64) {
        self.store = store
        self.what = what
        self.startedAt = startedAt
    }

    /// Records a page; throws when it repeats an earlier page or the read has run past its limit.
    package mutating func read(_ response: StoreResponse, now: Int64) throws {
        try read(page: response.body, now: now)
    }

    /// Records a page given as its records' bytes (a GraphQL connection: the answer's cost figures
    /// differ between two reads of one page, its records do not).
    package mutating func read(page body: Data, now: Int64) throws {
        pages += 1
        var hasher = Hasher()
        // Every byte: `Data`'s own hash covers only its count and first 80 bytes, which two pages of
        // one GraphQL connection share (same keys, sorted), so distinct pages looked identical.
        body.withUnsafeBytes { hasher.combine(bytes: $0) }
        if !body.isEmpty, !bodies.insert(hasher.finalize()).inserted {
            throw StorePageError(code: .repeated, message: """
                store \(store) sent page \(pages) of its \(what) identical to an earlier page: its paging repeats itself (a next-page \
                link pointing back, or a page parameter the store ignores), so the read stopped instead of looping; check the store's \
                API or the plugin that answers it — the next pass tries again
                """)
        }
        if now - startedAt > Self.limitMilliseconds {
            throw StorePageError(code: .endless, message: """
                store \(store) kept sending pages of its \(what) for more than \(Self.limitMilliseconds / 60_000) minutes (\(pages) pages); \
                the read stopped — check that the store's paging ends; the next pass tries again
                """)
        }
    }
}

/// Whether a paged read goes on after a page.
package enum PageVerdict {
    case more
    case done
}
