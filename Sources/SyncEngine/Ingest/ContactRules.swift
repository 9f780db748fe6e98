import SyncCore

/// The rule Oorden states up front: every contact needs a first name, a last name and an e-mail.
public enum ContactRules {
    /// Why `fields` cannot become an Oorden contact, or nil if it can.
    ///
    /// ```swift
    /// ContactRules.holdReason([.firstName: .string("Ana"), .lastName: .null, .email: .string("ana@example.mx")])
    /// // missing_last_name: "The contact has no last name. Add it in the store or in Oorden; it syncs as soon as it is fixed."
    /// ```
    public static func holdReason(_ fields: FieldValues) -> HoldReason? {
        func text(_ key: FieldKey) -> String? {
            guard let s = fields[key]?.stringValue?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
            return s
        }
        guard let email = text(.email), isValidEmail(email) else {
            let shown = fields[.email]?.stringValue.map { "\"\($0)\"" } ?? "none"
            return HoldReason(code: .invalidEmail,
                              message: "The contact's e-mail (\(shown)) is missing or not valid. Fix it in the store or in Oorden; it syncs as soon as it is fixed.")
        }
        guard text(.firstName) != nil else {
            return HoldReason(code: .missingFirstName,
                              message: "The contact <\(email)> has no first name. Add it in the store or in Oorden; it syncs as soon as it is fixed.")
        }
        guard text(.lastName) != nil else {
            return HoldReason(code: .missingLastName,
                              message: "The contact <\(email)> has no last name. Add it in the store or in Oorden; it syncs as soon as it is fixed.")
        }
        return nil
    }

    /// A pragmatic e-mail check: one `@`, a non-empty local part, a domain with a dot, no spaces.
    public static func isValidEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !email.contains(" ") else { return false }
        let domain = parts[1]
        guard let dot = domain.lastIndex(of: "."), dot != domain.startIndex, domain.index(after: dot) != domain.endIndex else { return false }
        return true
    }
}

/// Products are per sellable SKU: a variant without SKU cannot be matched or created in Oorden.
public enum ProductRules {
    public static func holdReason(_ fields: FieldValues, name: String) -> HoldReason? {
        guard let sku = fields[.sku]?.stringValue?.trimmingCharacters(in: .whitespaces), !sku.isEmpty else {
            return HoldReason(code: .missingSKU,
                              message: "The product \"\(name)\" has no SKU. Give it a SKU in the store; Oorden matches products by SKU.")
        }
        return nil
    }
}
