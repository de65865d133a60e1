import Testing

@Suite struct SegmentModelTestsPlaceholder {}
