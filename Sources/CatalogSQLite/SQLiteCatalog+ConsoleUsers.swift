import Catalog
import SQLiteNIO

extension SQLiteCatalog: ConsoleUserStore {
    public func addConsoleUser(_ user: ConsoleUser) async throws(CatalogError) {
        try ConsoleUser.validateName(user.name)
        do {
            try await run(
                "INSERT INTO console_users (name, password_hash, created_at) VALUES (?, ?, ?)",
                [.text(user.name), .text(user.passwordHash), .integer(Int(user.createdAtMilliseconds))])
        } catch where error.code == .duplicate {
            throw CatalogError(.duplicate, "a console user named '\(user.name)' already exists; remove it first")
        }
    }

    public func consoleUsers() async throws(CatalogError) -> [ConsoleUser] {
        try await run("SELECT name, password_hash, created_at FROM console_users ORDER BY name").compactMap(Self.user)
    }

    public func consoleUser(name: String) async throws(CatalogError) -> ConsoleUser? {
        try await run(
            "SELECT name, password_hash, created_at FROM console_users WHERE name = ?", [.text(name)]
        ).compactMap(Self.user).first
    }

    public func removeConsoleUser(name: String) async throws(CatalogError) {
        let removed = try await run("DELETE FROM console_users WHERE name = ? RETURNING name", [.text(name)])
        guard !removed.isEmpty else { throw CatalogError(.notFound, "no console user named '\(name.prefix(64))'") }
    }

    static func user(_ row: SQLiteRow) -> ConsoleUser? {
        guard let name = row.column("name")?.string, let hash = row.column("password_hash")?.string else { return nil }
        return ConsoleUser(
            name: name, passwordHash: hash, createdAtMilliseconds: Int64(row.column("created_at")?.integer ?? 0))
    }
}
