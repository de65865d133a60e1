import Testing

@Suite struct SpoolTestsPlaceholder {}
