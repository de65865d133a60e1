import Testing

@Suite struct DeflateTestsPlaceholder {}
