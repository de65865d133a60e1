import Testing

@Suite struct PipelineTestsPlaceholder {}
