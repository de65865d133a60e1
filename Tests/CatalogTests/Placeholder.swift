import Testing

@Suite struct CatalogTestsPlaceholder {}
