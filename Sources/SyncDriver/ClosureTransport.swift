import Connectors
import SyncCore

/// A transport that answers from a function in the same process: how tests and the simulator put a
/// store emulator's handler behind a ``StoreClient`` without sockets. `nil` means the request timed out.
///
/// ```swift
/// let transport = ClosureTransport { request in emulator.handle(request).response }
/// ```
public struct ClosureTransport: StoreTransport {
    let handler: @Sendable (StoreRequest) -> StoreResponse?

    public init(_ handler: @escaping @Sendable (StoreRequest) -> StoreResponse?) {
        self.handler = handler
    }

    public func send(_ request: StoreRequest) async throws -> StoreResponse {
        guard let response = handler(request) else {
            throw StoreAPIError(code: .timeout, method: request.method, path: request.path,
                                message: "no answer from the store (in-process timeout)")
        }
        return response
    }
}
