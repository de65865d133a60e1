import Testing

@Suite struct ArchiveFormatTestsPlaceholder {}
