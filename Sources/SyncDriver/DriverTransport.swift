import Connectors
import Synchronization
import SyncCore
import SyncEngine

/// The transport a driver's ``StorePlatform`` sends through: the endpoint's own, plus what the
/// driver learns from every answer — the store's clock offset (its `Date` header) — and a count of
/// the requests sent, which the pass summary reports per store.
final class DriverTransport: StoreTransport {
    let base: any StoreTransport
    let link: String
    let engine: SyncEngine
    let clock: any WallClock
    private let sent = Atomic<Int>(0)

    init(base: any StoreTransport, link: String, engine: SyncEngine, clock: any WallClock) {
        self.base = base
        self.link = link
        self.engine = engine
        self.clock = clock
    }

    /// Requests sent so far (each attempt the platform made, answered or not).
    var requests: Int { sent.load(ordering: .relaxed) }

    func send(_ request: StoreRequest) async throws -> StoreResponse {
        sent.add(1, ordering: .relaxed)
        let sentAt = clock.nowMilliseconds()
        let response = try await base.send(request)
        let receivedAt = clock.nowMilliseconds()
        if let date = response.headers["Date"].flatMap(ISO8601Time.parseHTTPDate), try engine.link(named: link) != nil {
            try engine.observeStoreClock(link: link, dateHeader: date, sentAt: sentAt, receivedAt: receivedAt)
        }
        return response
    }
}
