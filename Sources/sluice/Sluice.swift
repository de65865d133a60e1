import ArgumentParser

@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Segment-compatible event archiver.")
}
