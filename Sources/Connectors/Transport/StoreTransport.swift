import SyncCore

/// Something that executes one HTTP request against a store and returns its answer.
///
/// Production uses ``URLSessionTransport``; tests may wrap an emulator's handler. A transport returns
/// every HTTP answer, 4xx and 5xx included, as a ``StoreResponse``; it throws a ``StoreAPIError`` only
/// when there is no answer (``StoreAPIError/Code/timeout``, ``StoreAPIError/Code/transport``).
/// Auth, pacing and retries live above it, in ``StoreClient``.
public protocol StoreTransport: Sendable {
    /// Sends `request` and returns the store's response, whatever its status.
    func send(_ request: StoreRequest) async throws -> StoreResponse
}
