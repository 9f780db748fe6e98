import Foundation
import SyncCore

/// Where a store's bulk exports under way are remembered between passes (the engine's
/// `bulk_reads` table, through the driver), so a pass that dies while Shopify runs one reads the
/// same operation afterwards instead of starting another.
package protocol BulkReadJournal: Sendable {
    /// The operation id of an export of `kind` started and not read to its end.
    func pendingBulkRead(_ kind: EntityKind) throws -> String?
    /// An export of `kind` was started.
    func bulkReadStarted(_ kind: EntityKind, operationID: String) throws
    /// The export of `kind` was read to its end (or can no longer be read).
    func bulkReadFinished(_ kind: EntityKind) throws
}

/// How a GraphQL store reads complete scans: by bulk export, with what downloads the result, what
/// remembers an export under way, and where result files are written while they are read.
///
/// ```swift
/// var bulk = ShopifyBulkReads(downloader: URLSessionBulkDownloader())
/// bulk.journal = engineJournal
/// ```
package struct ShopifyBulkReads: Sendable {
    package var downloader: any BulkResultDownloader
    package var journal: (any BulkReadJournal)?
    /// The directory of result files (each private to its owner, removed once read).
    package var directory: URL
    /// The first wait between two reads of an operation's status; each wait is half as long again,
    /// up to ``maximumPollMilliseconds``.
    package var firstPollMilliseconds: Int64 = 500
    package var maximumPollMilliseconds: Int64 = 10_000
    /// How long an export may run before the read gives up (Shopify's run for hours at most).
    package var deadlineMilliseconds: Int64 = 6 * 3_600_000

    package init(downloader: any BulkResultDownloader, journal: (any BulkReadJournal)? = nil,
                 directory: URL = FileManager.default.temporaryDirectory) {
        self.downloader = downloader
        self.journal = journal
        self.directory = directory
    }
}
