import Connectors
import Foundation
import Synchronization
import Testing
@testable import Connectors
@testable import SyncCore

/// The bulk export's decisions, against scripted Shopify answers: which operation is read, when a
/// new one starts, what a failure says, and what the journal holds afterwards. (The same paths
/// against the emulator over loopback HTTP: `ShopifyBulkReadTests`.)
@Suite("Shopify bulk exports: resume, take over, run again")
struct ShopifyBulkRunnerTests {
    /// A journal in memory.
    final class MemoryJournal: BulkReadJournal, @unchecked Sendable {
        let pending = Mutex<[EntityKind: String]>([:])
        let log = Mutex<[String]>([])

        init(_ start: [EntityKind: String] = [:]) { pending.withLock { $0 = start } }

        func pendingBulkRead(_ kind: EntityKind) throws -> String? { pending.withLock { $0[kind] } }
        func bulkReadStarted(_ kind: EntityKind, operationID: String) throws {
            pending.withLock { $0[kind] = operationID }
            log.withLock { $0.append("started \(operationID)") }
        }
        func bulkReadFinished(_ kind: EntityKind) throws {
            pending.withLock { $0[kind] = nil }
            log.withLock { $0.append("finished") }
        }
        var entries: [String] { log.withLock { $0 } }
    }

    /// Writes canned lines for any URL and records the URLs asked for.
    final class CannedDownloader: BulkResultDownloader, @unchecked Sendable {
        let lines: [String]
        let asked = Mutex<[String]>([])

        init(_ lines: [String]) { self.lines = lines }

        func download(_ url: String, to file: URL) async throws -> Int64 {
            asked.withLock { $0.append(url) }
            let data = Data(lines.joined(separator: "\n").utf8)
            try data.write(to: file)
            return Int64(data.count)
        }
        var urls: [String] { asked.withLock { $0 } }
    }

    static func answer(_ data: JSONValue) -> ScriptedTransport.Step {
        .respond(StoreResponse(status: 200, body: (["data": data] as JSONValue).jsonData))
    }

    static func operation(_ n: Int, _ status: String, url: String? = nil, query: String = ShopifyBulkDocuments.customers, errorCode: String? = nil) -> JSONValue {
        var node: [String: JSONValue] = ["id": .string("gid://shopify/BulkOperation/\(n)"), "status": .string(status), "query": .string(query),
                                         "createdAt": "2026-12-04T05:00:00Z", "objectCount": "2", "rootObjectCount": "2"]
        if let url { node["url"] = .string(url) }
        if let errorCode { node["errorCode"] = .string(errorCode) }
        return .object(node)
    }

    static let customers = [
        #"{"id":"gid://shopify/Customer/1","firstName":"Ana","lastName":"López","email":"ana@example.mx","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}"#,
        #"{"id":"gid://shopify/Customer/2","firstName":"Bea","lastName":"Mar","email":"bea@example.mx","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}"#,
    ]

    /// Reads customers by bulk export through `steps`; the emails read, the requests' operation names.
    static func read(_ steps: [ScriptedTransport.Step], journal: MemoryJournal, downloader: CannedDownloader = CannedDownloader(customers))
        async throws -> (emails: [String], operations: [String], snapshots: Set<Int64?>, sleeps: [Int64]) {
        let clock = ManualClock(milliseconds: 1_795_964_405_000)
        let sleeper = ManualClockSleeper(clock: clock)
        let transport = ScriptedTransport(steps)
        let client = ShopifyGraphQLClient(transport: transport, version: "2026-10", clock: clock, sleeper: sleeper)
        let reader = ShopifyGraphQLReader(client: client, store: "tienda", clock: clock)
        var emails: [String] = []
        var snapshots: Set<Int64?> = []
        do {
            try await reader.bulkContacts(ShopifyBulkReads(downloader: downloader, journal: journal)) { page in
                emails += page.items.compactMap { try? $0.record.get().email }
                snapshots.insert(page.snapshotAt)
            }
        } catch {
            throw error
        }
        let names = transport.requests.compactMap { try? JSONValue.parse($0.body)["operationName"]?.string }
        return (emails, names, snapshots, sleeper.sleeps)
    }

    @Test("a new export is started, recorded, polled with growing waits until COMPLETED, read, and forgotten")
    func startPollRead() async throws {
        let journal = MemoryJournal()
        let r = try await Self.read([
            Self.answer(["bulkOperationRunQuery": ["bulkOperation": Self.operation(7, "CREATED"), "userErrors": []]]),
            Self.answer(["bulkOperation": Self.operation(7, "RUNNING")]),
            Self.answer(["bulkOperation": Self.operation(7, "COMPLETED", url: "https://storage.example/7.jsonl")]),
        ], journal: journal)
        #expect(r.emails == ["ana@example.mx", "bea@example.mx"])
        #expect(r.operations == ["BulkOperationRunQuery", "BulkOperation", "BulkOperation"])
        #expect(r.sleeps == [500, 750])
        #expect(r.snapshots == [ISO8601Time.parse("2026-12-04T05:00:00Z")])
        #expect(journal.entries == ["started gid://shopify/BulkOperation/7", "finished"])
    }

    @Test("the journal names an export still running (the last pass died): it is waited for and read; none is started")
    func resumesPending() async throws {
        let journal = MemoryJournal([.contact: "gid://shopify/BulkOperation/3"])
        let downloader = CannedDownloader(Self.customers)
        let r = try await Self.read([
            Self.answer(["bulkOperation": Self.operation(3, "RUNNING")]),
            Self.answer(["bulkOperation": Self.operation(3, "COMPLETED", url: "https://storage.example/3.jsonl")]),
        ], journal: journal, downloader: downloader)
        #expect(r.emails.count == 2)
        #expect(!r.operations.contains("BulkOperationRunQuery"))
        #expect(downloader.urls == ["https://storage.example/3.jsonl"])
        #expect(journal.entries == ["finished"])
    }

    @Test("the journal names an export that has EXPIRED: a new one is started and read")
    func expiredRunsAgain() async throws {
        let journal = MemoryJournal([.contact: "gid://shopify/BulkOperation/3"])
        let downloader = CannedDownloader(Self.customers)
        let r = try await Self.read([
            Self.answer(["bulkOperation": Self.operation(3, "EXPIRED")]),
            Self.answer(["bulkOperationRunQuery": ["bulkOperation": Self.operation(4, "CREATED"), "userErrors": []]]),
            Self.answer(["bulkOperation": Self.operation(4, "COMPLETED", url: "https://storage.example/4.jsonl")]),
        ], journal: journal, downloader: downloader)
        #expect(r.emails.count == 2)
        #expect(downloader.urls == ["https://storage.example/4.jsonl"])
        #expect(journal.entries == ["started gid://shopify/BulkOperation/4", "finished"])
    }

    @Test("Shopify says an export is in progress and it runs our query (our start's answer was lost): it is taken over, not started twice")
    func takesOverOwnRunningExport() async throws {
        let journal = MemoryJournal()
        let r = try await Self.read([
            Self.answer(["bulkOperationRunQuery": ["bulkOperation": .null, "userErrors": [
                ["field": ["query"], "message": "A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/9.",
                 "code": "OPERATION_IN_PROGRESS"],
            ]]]),
            Self.answer(["currentBulkOperation": Self.operation(9, "RUNNING", query: "  " + ShopifyBulkDocuments.customers.replacingOccurrences(of: " ", with: "\n "))]),
            Self.answer(["bulkOperation": Self.operation(9, "COMPLETED", url: "https://storage.example/9.jsonl")]),
        ], journal: journal)
        #expect(r.emails.count == 2)
        #expect(r.operations == ["BulkOperationRunQuery", "CurrentBulkOperation", "BulkOperation"])
        #expect(journal.entries == ["started gid://shopify/BulkOperation/9", "finished"])
    }

    @Test("another query's export is in progress: it is waited out, then ours is started")
    func waitsForAnotherExport() async throws {
        let journal = MemoryJournal()
        let inProgress = Self.answer(["bulkOperationRunQuery": ["bulkOperation": .null, "userErrors": [
            ["field": .null, "message": "A bulk query operation for this app and shop is already in progress.", "code": "OPERATION_IN_PROGRESS"],
        ]]])
        let r = try await Self.read([
            inProgress,
            Self.answer(["currentBulkOperation": Self.operation(5, "RUNNING", query: ShopifyBulkDocuments.products)]),
            Self.answer(["bulkOperation": Self.operation(5, "COMPLETED", url: "https://storage.example/5.jsonl", query: ShopifyBulkDocuments.products)]),
            Self.answer(["bulkOperationRunQuery": ["bulkOperation": Self.operation(6, "CREATED"), "userErrors": []]]),
            Self.answer(["bulkOperation": Self.operation(6, "COMPLETED", url: "https://storage.example/6.jsonl")]),
        ], journal: journal)
        #expect(r.emails.count == 2)
        #expect(r.operations == ["BulkOperationRunQuery", "CurrentBulkOperation", "BulkOperation", "BulkOperationRunQuery", "BulkOperation"])
        #expect(journal.entries == ["started gid://shopify/BulkOperation/6", "finished"])
    }

    @Test("an export that ends FAILED (TIMEOUT) is an error saying so and what happens next; the journal forgets it")
    func failedExport() async throws {
        let journal = MemoryJournal()
        await #expect {
            _ = try await Self.read([
                Self.answer(["bulkOperationRunQuery": ["bulkOperation": Self.operation(8, "CREATED"), "userErrors": []]]),
                Self.answer(["bulkOperation": Self.operation(8, "FAILED", errorCode: "TIMEOUT")]),
            ], journal: journal)
        } throws: { error in
            guard let error = error as? StoreAPIError else { return false }
            return error.code == .server && error.message.contains("FAILED (TIMEOUT)") && error.message.contains("run again next pass")
        }
        #expect(journal.entries == ["started gid://shopify/BulkOperation/8", "finished"])
    }

    @Test("a refused query is a validation error in Shopify's words; nothing is recorded")
    func refusedQuery() async throws {
        let journal = MemoryJournal()
        await #expect {
            _ = try await Self.read([
                Self.answer(["bulkOperationRunQuery": ["bulkOperation": .null, "userErrors": [
                    ["field": ["query"], "message": "Invalid bulk query: Field 'nope' doesn't exist on type 'Customer'", "code": "INVALID"],
                ]]]),
            ], journal: journal)
        } throws: { error in
            guard let error = error as? StoreAPIError else { return false }
            return error.code == .validation && error.message.contains("Field 'nope' doesn't exist")
        }
        #expect(journal.entries.isEmpty)
    }
}
