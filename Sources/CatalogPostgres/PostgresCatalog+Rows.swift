import Catalog
import PostgresNIO

extension PostgresCatalog {
    static func decode<T: PostgresDecodable>(_ row: PostgresRandomAccessRow, _ column: String, as type: T.Type)
        throws(CatalogError) -> T
    {
        do {
            return try row[column].decode(T.self)
        } catch {
            throw CatalogError(.storage, "the catalog has an unreadable \(column) column", underlying: error)
        }
    }

    static func string(_ row: PostgresRandomAccessRow, _ column: String) throws(CatalogError) -> String {
        try decode(row, column, as: String.self)
    }

    static func optionalString(_ row: PostgresRandomAccessRow, _ column: String) throws(CatalogError) -> String? {
        try decode(row, column, as: String?.self)
    }

    static func int(_ row: PostgresRandomAccessRow, _ column: String) throws(CatalogError) -> Int64 {
        try decode(row, column, as: Int64.self)
    }

    static func optionalInt(_ row: PostgresRandomAccessRow, _ column: String) throws(CatalogError) -> Int64? {
        try decode(row, column, as: Int64?.self)
    }
}
