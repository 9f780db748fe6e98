import SyncCore
import GRDB

/// The ledger's SQLite schema, as GRDB migrations.
///
/// Money and rates are canonical ``ExactDecimal`` text; times are integer milliseconds. Uniqueness
/// rules live in the schema as well as in the API's checks, so no race can break them.
enum LedgerSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE company (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    name TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE tax (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    percentage TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    UNIQUE (percentage, name)
                );
                CREATE TABLE contact (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    first_name TEXT NOT NULL,
                    last_name TEXT NOT NULL,
                    email TEXT,
                    email_key TEXT,
                    phone TEXT,
                    company TEXT,
                    note TEXT,
                    address TEXT,
                    archived INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX contact_active_email ON contact(email_key) WHERE archived = 0 AND email_key IS NOT NULL;
                CREATE TABLE product (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sku TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    price TEXT NOT NULL,
                    taxable INTEGER NOT NULL,
                    active INTEGER NOT NULL,
                    tax_id INTEGER REFERENCES tax(id),
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE inventory_movement (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    product_id INTEGER NOT NULL REFERENCES product(id),
                    quantity INTEGER NOT NULL CHECK (quantity <> 0),
                    kind TEXT NOT NULL,
                    reference TEXT,
                    time INTEGER NOT NULL,
                    origin TEXT NOT NULL
                );
                CREATE INDEX inventory_movement_product ON inventory_movement(product_id);
                CREATE INDEX inventory_movement_reference ON inventory_movement(reference);
                CREATE TABLE sales_order (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    number TEXT NOT NULL UNIQUE,
                    contact_id INTEGER REFERENCES contact(id),
                    date INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    fulfilled INTEGER NOT NULL DEFAULT 0,
                    currency TEXT NOT NULL,
                    prices_include_tax INTEGER NOT NULL,
                    shipping TEXT NOT NULL,
                    shipping_tax_id INTEGER REFERENCES tax(id),
                    shipping_net TEXT NOT NULL,
                    subtotal TEXT NOT NULL,
                    tax_total TEXT NOT NULL,
                    rounding TEXT NOT NULL,
                    total TEXT NOT NULL,
                    note TEXT,
                    shipping_address TEXT,
                    external_store TEXT,
                    external_id TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (external_store, external_id)
                );
                CREATE TABLE sales_order_line (
                    order_id INTEGER NOT NULL REFERENCES sales_order(id),
                    position INTEGER NOT NULL,
                    product_id INTEGER REFERENCES product(id),
                    description TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    unit_price TEXT NOT NULL,
                    discount TEXT NOT NULL,
                    tax_id INTEGER REFERENCES tax(id),
                    net TEXT NOT NULL,
                    tax_amount TEXT NOT NULL,
                    line_total TEXT NOT NULL,
                    PRIMARY KEY (order_id, position)
                );
                CREATE TABLE sales_order_tax (
                    order_id INTEGER NOT NULL REFERENCES sales_order(id),
                    tax_id INTEGER NOT NULL REFERENCES tax(id),
                    base TEXT NOT NULL,
                    amount TEXT NOT NULL,
                    PRIMARY KEY (order_id, tax_id)
                );
                CREATE TABLE sale (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    number TEXT NOT NULL UNIQUE,
                    order_id INTEGER NOT NULL UNIQUE REFERENCES sales_order(id),
                    contact_id INTEGER REFERENCES contact(id),
                    date INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    subtotal TEXT NOT NULL,
                    tax_total TEXT NOT NULL,
                    total TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE credit_note (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    number TEXT NOT NULL UNIQUE,
                    sale_id INTEGER NOT NULL REFERENCES sale(id),
                    date INTEGER NOT NULL,
                    amount TEXT NOT NULL,
                    restock INTEGER NOT NULL,
                    reason TEXT,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE credit_note_line (
                    credit_note_id INTEGER NOT NULL REFERENCES credit_note(id),
                    position INTEGER NOT NULL,
                    product_id INTEGER NOT NULL REFERENCES product(id),
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    PRIMARY KEY (credit_note_id, position)
                );
                CREATE TABLE change_feed (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    entity_kind TEXT NOT NULL,
                    entity_id INTEGER NOT NULL,
                    action TEXT NOT NULL,
                    time INTEGER NOT NULL,
                    origin TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2-credit-note-sale-index") { db in
            // An order's credit notes are looked up by sale on every order sync.
            try db.execute(sql: "CREATE INDEX credit_note_sale ON credit_note(sale_id)")
        }
        return migrator
    }

    /// The tables, for diagnostics (``OordenLedger/rowCounts()``).
    static let tables = [
        "company", "tax", "contact", "product", "inventory_movement", "sales_order", "sales_order_line",
        "sales_order_tax", "sale", "credit_note", "credit_note_line", "change_feed",
    ]
}
