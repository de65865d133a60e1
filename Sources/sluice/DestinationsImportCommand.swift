import ArchiveFormat
import ArgumentParser
import Delivery
import Foundation
import Logs
import SluiceApp

extension Destinations {
    struct ImportFromSegment: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-from-segment",
            abstract:
                "Add a destination on a bucket that holds Segment's files, after checking Sluice fits beside them.",
            discussion: """
                Lists {prefix}/segment-logs/ (with your AWS credentials chain, or the --access-key-id keys): the \
                source folders there, the SOURCE's day folders, and the file names of its oldest and newest days, \
                which must follow the layout Sluice writes (day folders at UTC midnight in ms, files \
                {ms}.{12 hex}.{build}.{uuid}.gz). Warns when the SOURCE's id has no folder (Sluice would start a \
                new one). Then makes the validation write, and adds the destination unless --check-only.
                """)
        @Argument(help: "The source (id or name).") var source: String
        @Argument(help: "Bucket string: mybucket or mybucket/path/prefix, where segment-logs/ is.") var bucket: String
        @OptionGroup var options: Destinations.SettingsOptions
        @Flag(name: .customLong("check-only"), help: "Check and make the validation write; add nothing.")
        var checkOnly = false
        @Flag(help: "Add the destination even though the bucket's layout differs or cannot be listed.") var force =
            false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let address = try BucketString.parse(bucket)
            let settings = try options.settings(bucket: bucket)
            let found = try await withCatalog(data) { catalog in try await existingSource(source, in: catalog) }
            var logger = quietLogger()
            logger.logLevel = .error
            var listingEnvironment = environment
            if case .staticKeys(let keyID, let secret)? = settings.access {
                listingEnvironment["AWS_ACCESS_KEY_ID"] = keyID
                listingEnvironment["AWS_SECRET_ACCESS_KEY"] = secret
                listingEnvironment["AWS_SESSION_TOKEN"] = nil
            }
            do {
                let survey = try await S3LogStore.withStore(
                    bucket: address, endpoint: options.endpoint.flatMap { $0.isEmpty ? nil : $0 },
                    region: options.region.flatMap { $0.isEmpty ? nil : $0 }, environment: listingEnvironment,
                    logger: logger
                ) { store in try await store.survey(source: found.id) }
                for line in survey.lines { print(line) }
                for warning in survey.warnings { print("warning: \(warning)") }
                for problem in survey.problems { print("problem: \(problem)") }
                if !survey.problems.isEmpty && !force {
                    throw ValidationError(
                        "the files in \(survey.location) do not follow the layout Sluice writes; nothing was added "
                            + "(--force adds the destination anyway)")
                }
            } catch let error as LogsError {
                guard force else {
                    throw ValidationError(
                        "cannot list \(address)/segment-logs/: \(error.message); give credentials that may list the "
                            + "bucket, or --force to skip the check")
                }
                print("warning: cannot list \(address)/segment-logs/: \(error.message)")
            }
            let status = try await withRegistry(data) { registry, _ in
                if checkOnly {
                    let report = try await registry.check(sourceID: found.id, settings: settings)
                    print(
                        "validation write: ok (\(report.url)\(report.deleted ? ", deleted again" : ", left in place"))")
                    return nil as DestinationStatus?
                }
                let added = try await registry.add(
                    sourceID: found.id, settings: settings, validate: !options.noValidate)
                return try await registry.statuses().first { $0.destination.id == added.id }
            }
            if let status {
                print("added destination \(status.destination.id) for source \(found.name) (\(found.id))")
                printStatuses([status], json: false)
            } else if checkOnly {
                print("check only: nothing was added")
            }
        }
    }
}
