import Testing

@Suite struct SigV4TestsPlaceholder {}
