import SyncCore
import Foundation

/// A customer (or other contact) of the company.
///
/// E-mail is unique among active contacts after normalization (trimmed, lower-cased), the key the
/// sync engine matches store customers on. Archived contacts keep their e-mail but do not block
/// a new contact with the same one.
public struct Contact: Sendable, Hashable {
    public let id: Int64
    public let firstName: String
    public let lastName: String
    public let email: String?
    public let phone: String?
    public let company: String?
    public let note: String?
    /// A free-form address object (`{"line1": …, "city": …, "country": "MX"}`).
    public let address: JSONValue?
    public let archived: Bool
    public let createdAt: Int64
    public let updatedAt: Int64

    public init(id: Int64, firstName: String, lastName: String, email: String?, phone: String?, company: String?, note: String?,
                address: JSONValue?, archived: Bool, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
        self.company = company
        self.note = note
        self.address = address
        self.archived = archived
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The editable fields of this contact, to change some and pass to ``OordenLedger/updateContact(_:origin:edit:)``.
    public var draft: ContactDraft {
        ContactDraft(firstName: firstName, lastName: lastName, email: email, phone: phone, company: company, note: note, address: address)
    }

    /// The matching key for e-mails: trimmed and lower-cased; `nil` when empty.
    public static func normalizedEmail(_ email: String?) -> String? {
        guard let email else { return nil }
        let key = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return key.isEmpty ? nil : key
    }
}

/// The editable fields of a contact.
///
/// A contact needs a first or last name. E-mail is optional in Oorden (the sync engine holds
/// contacts without one), but when present it must look like `local@domain`.
public struct ContactDraft: Sendable, Hashable {
    public var firstName: String
    public var lastName: String
    public var email: String?
    public var phone: String?
    public var company: String?
    public var note: String?
    public var address: JSONValue?

    public init(firstName: String = "", lastName: String = "", email: String? = nil, phone: String? = nil,
                company: String? = nil, note: String? = nil, address: JSONValue? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
        self.company = company
        self.note = note
        self.address = address
    }

    /// The draft with text trimmed and empty optionals turned into `nil`, or an error naming the bad field.
    func validated() throws -> ContactDraft {
        func clean(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
            return t
        }
        var d = self
        d.firstName = firstName.trimmingCharacters(in: .whitespacesAndNewlines)
        d.lastName = lastName.trimmingCharacters(in: .whitespacesAndNewlines)
        d.email = clean(email)
        d.phone = clean(phone)
        d.company = clean(company)
        d.note = clean(note)
        if d.address?.isNull == true { d.address = nil }
        guard !d.firstName.isEmpty || !d.lastName.isEmpty else {
            throw LedgerError(.missingField, "a contact needs first_name or last_name; give at least one")
        }
        if let email = d.email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
                  !email.contains(where: { $0.isWhitespace })
            else {
                throw LedgerError(.invalidValue, "email \"\(email.prefix(80))\" is not an e-mail address; use the form name@example.com or leave it empty")
            }
        }
        if let address = d.address, address.object == nil {
            throw LedgerError(.invalidValue, "address must be a JSON object such as {\"city\":\"Monterrey\"}, not \(address.typeName)")
        }
        return d
    }
}
