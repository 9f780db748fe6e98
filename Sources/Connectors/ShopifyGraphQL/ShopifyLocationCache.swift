import Synchronization
import SyncCore

/// The shop's primary location, remembered for a while so stock adjustments do not each ask for it.
///
/// A merchant can make another location primary, so the answer is kept for ``lifetimeMilliseconds``
/// (store-independent wall time) and asked again after; one cache lives as long as its platform.
///
/// ```swift
/// let id = try await cache.primaryLocationID(now: clock.nowMilliseconds()) { try await reader.shop().primaryLocationID }
/// ```
package final class ShopifyLocationCache: Sendable {
    /// How long an answer is used before the shop is asked again.
    package static let lifetimeMilliseconds: Int64 = 10 * 60 * 1000

    private struct Entry {
        var locationID: String?
        var readAt: Int64
    }

    private let entry = Mutex<Entry?>(nil)

    package init() {}

    /// The remembered primary location, or what `read` answers (then remembered) when there is
    /// none or it is older than ``lifetimeMilliseconds``.
    package func primaryLocationID(now: Int64, read: () async throws -> String?) async throws -> String? {
        if let cached = entry.withLock({ $0 }), now - cached.readAt < Self.lifetimeMilliseconds, now >= cached.readAt {
            return cached.locationID
        }
        let id = try await read()
        entry.withLock { $0 = Entry(locationID: id, readAt: now) }
        return id
    }
}
