/// A daemon error: a stable code and a message that says what is wrong and what to do.
public struct DaemonError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The inbox database cannot be opened or written.
        case inboxUnavailable = "inbox_unavailable"
        /// A stored delivery body cannot be decompressed.
        case corruptDelivery = "corrupt_delivery"
        /// The webhook receiver could not bind its port.
        case bindFailed = "bind_failed"
        /// A store has no webhook secret configured, so its deliveries cannot be verified.
        case missingWebhookSecret = "missing_webhook_secret"
        /// A store refused to register a webhook.
        case registrationFailed = "registration_failed"
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
