import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import SyncCore

/// The production transport: URLSession (libcurl on Linux) against one store origin.
///
/// The URL is `origin + request.target` (`"http://127.0.0.1:8081"` + `/wp-json/wc/v3/customers?page=2`).
/// It asks for `Accept-Encoding: gzip`; URLSession decodes a gzip body before returning it (libcurl's
/// content decoding on Linux, the system stack on Apple platforms), so callers always see plain bytes.
/// Logs carry the method, path and status only — never headers, query strings or bodies, which hold secrets.
///
/// ```swift
/// let transport = URLSessionTransport(origin: "https://shop.example.com", timeoutSeconds: 10, logger: logger)
/// let response = try await transport.send(StoreRequest(method: .get, path: "/wp-json/wc/v3/customers"))
/// ```
public struct URLSessionTransport: StoreTransport {
    /// Scheme, host and optional port, without a trailing slash.
    public let origin: String
    /// Seconds without progress before a request fails with ``StoreAPIError/Code/timeout``, in whole seconds.
    ///
    /// The libcurl-backed URLSession on Linux truncates a request's timeout to whole seconds (0.5 s
    /// becomes an immediate timeout), so the value given to ``init(origin:timeoutSeconds:logger:)`` is
    /// rounded up to a whole number of seconds, at least 1.
    public let timeoutSeconds: Double
    /// The most one request may take in all, however the store trickles its answer (whole seconds,
    /// at least ``timeoutSeconds``). URLSession's own resource timeout is not enforced by
    /// FoundationNetworking on Linux — a store sending a byte a second kept a request open for as
    /// long as it liked — so the transport races the request against this deadline itself.
    public let deadlineSeconds: Double
    private let session: URLSession
    private let logger: Logger

    /// Creates a transport for `origin` (`"http://127.0.0.1:8081"`); a trailing `/` is ignored.
    public init(origin: String, timeoutSeconds: Double = 30, deadlineSeconds: Double = 120, logger: Logger) {
        var o = origin
        while o.hasSuffix("/") { o.removeLast() }
        self.origin = o
        let timeoutSeconds = max(1, timeoutSeconds.rounded(.up))
        self.timeoutSeconds = timeoutSeconds
        self.deadlineSeconds = max(timeoutSeconds, deadlineSeconds.rounded(.up))
        self.logger = logger
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = self.deadlineSeconds
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: configuration)
    }

    public func send(_ request: StoreRequest) async throws -> StoreResponse {
        guard let url = URL(string: origin + request.target), url.scheme != nil, url.host != nil else {
            throw StoreAPIError(
                code: .invalidRequest, method: request.method, path: request.path,
                message: "cannot build a URL from the origin and the request path; check the store URL in the settings (scheme://host[:port])")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.timeoutInterval = timeoutSeconds
        for field in request.headers {
            urlRequest.addValue(field.value, forHTTPHeaderField: field.name)
        }
        if request.headers["Accept-Encoding"] == nil {
            urlRequest.setValue("gzip", forHTTPHeaderField: "Accept-Encoding")
        }
        if !request.body.isEmpty || request.method == .post || request.method == .put || request.method == .patch {
            urlRequest.httpBody = request.body
        }

        let data: Data
        let urlResponse: URLResponse
        do {
            (data, urlResponse) = try await withDeadline(urlRequest, for: request)
        } catch let error as StoreAPIError {
            throw error
        } catch {
            throw Self.classify(error, request: request, timeoutSeconds: timeoutSeconds, logger: logger)
        }
        guard let http = urlResponse as? HTTPURLResponse else {
            throw StoreAPIError(
                code: .malformedResponse, method: request.method, path: request.path,
                message: "the answer was not an HTTP response; check that the store URL uses http or https")
        }
        var headers = HeaderFields()
        for (name, value) in http.allHeaderFields {
            headers.add(String(describing: name), String(describing: value))
        }
        logger.debug("store request done", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.path)", "status": "\(http.statusCode)",
        ])
        return StoreResponse(status: http.statusCode, headers: headers, body: data)
    }

    /// The request's answer, or a ``StoreAPIError/Code/timeout`` once ``deadlineSeconds`` have passed
    /// (the request is then cancelled).
    private func withDeadline(_ urlRequest: URLRequest, for request: StoreRequest) async throws -> (Data, URLResponse) {
        let session = self.session
        let deadline = deadlineSeconds
        let answer = try await withThrowingTaskGroup(of: (Data, URLResponse)?.self) { group in
            group.addTask { try await session.data(for: urlRequest) }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int64(deadline * 1000)))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let answer else {
            logger.info("store request past its deadline", metadata: ["method": "\(request.method.rawValue)", "path": "\(request.path)"])
            throw StoreAPIError(code: .timeout, method: request.method, path: request.path,
                                message: "the store's answer took longer than \(Int(deadline)) s in all (it kept sending, too slowly); the request may be retried, or raise request_deadline_seconds in the store's configuration")
        }
        return answer
    }

    private static func classify(_ error: Error, request: StoreRequest, timeoutSeconds: Double, logger: Logger) -> StoreAPIError {
        let code: StoreAPIError.Code
        let message: String
        if let urlError = error as? URLError, urlError.code == .timedOut {
            code = .timeout
            message = "no answer within \(Int(timeoutSeconds)) s; the request may be retried, or raise timeout_seconds in the store's configuration"
        } else if let urlError = error as? URLError {
            code = .transport
            message = "connection failed (URLError \(urlError.code.rawValue)); check the store URL and that the store is reachable"
        } else {
            code = .transport
            message = "connection failed (\(type(of: error))); check the store URL and that the store is reachable"
        }
        logger.info("store request failed", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.path)", "error": "\(code.rawValue)",
        ])
        return StoreAPIError(code: code, method: request.method, path: request.path, message: message)
    }
}
