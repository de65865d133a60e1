import Testing

@testable import SegmentModel

@Suite struct EndpointTests {
    @Test(arguments: [
        ("/v1/track", Endpoint.single(.track)), ("/v1/identify", .single(.identify)), ("/v1/page", .single(.page)),
        ("/v1/screen", .single(.screen)), ("/v1/group", .single(.group)), ("/v1/alias", .single(.alias)),
        ("/v1/t", .single(.track)), ("/v1/i", .single(.identify)), ("/v1/p", .single(.page)),
        ("/v1/s", .single(.screen)), ("/v1/g", .single(.group)), ("/v1/a", .single(.alias)),
        ("/v1/batch", .batch), ("/v1/b", .batch), ("/v1/import", .batch), ("/v1/track/", .single(.track)),
        ("/v1/batch/", .batch),
    ])
    func recognisesTrackingPaths(path: String, expected: Endpoint) {
        #expect(Endpoint(path: path) == expected)
    }

    @Test(arguments: [
        "/", "/v1", "/v1/", "/v2/track", "/v1/Track", "/v1/tracks", "/v1/x", "v1/track", "/v1/track//",
        "/v1/pixel/track", "/health",
    ])
    func rejectsOtherPaths(path: String) {
        #expect(Endpoint(path: path) == nil)
    }
}
