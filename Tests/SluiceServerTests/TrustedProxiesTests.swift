import Testing

@testable import SluiceServer

@Suite("IP addresses")
struct IPAddressTests {
    @Test(
        "valid text parses and prints canonically (RFC 5952 for IPv6)",
        arguments: [
            ("192.0.2.1", "192.0.2.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
            ("::1", "::1"), ("::", "::"), ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"), ("2001:db8::", "2001:db8::"),
            ("2001:0db8:0000:0001:0000:0000:0000:0001", "2001:db8:0:1::1"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
            ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
            ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
            ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"), ("::ffff:192.0.2.1", "192.0.2.1"),
            ("::FFFF:c000:0201", "192.0.2.1"),
            ("64:ff9b::192.0.2.1", "64:ff9b::c000:201"), ("fe80::1%eth0", "fe80::1"),
        ])
    func parses(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address)
    }

    @Test(
        "anything else is refused",
        arguments: [
            "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "1.2.3.4 ", "a.b.c.d", "1.2.3.4:80",
            "[::1]", ":1", "1:", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "12345::", "g::1",
            "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "unknown", "_hidden", String(repeating: "1", count: 50),
        ])
    func refuses(text: String) {
        #expect(IPAddress(text) == nil, "\(text)")
    }
}

@Suite("Trusted proxies")
struct TrustedProxiesTests {
    @Test("ranges match by prefix, never across address families")
    func ranges() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8, 192.168.1.7", "fd00::/8", "::1"])
        #expect(proxies.ranges.count == 4)
        for inside in ["10.0.0.0", "10.255.255.255", "192.168.1.7", "fd12::1", "::1", "::ffff:10.1.2.3"] {
            #expect(proxies.isTrusted(try #require(IPAddress(inside))), "\(inside)")
        }
        for outside in ["11.0.0.1", "192.168.1.8", "fe00::1", "::2", "::ffff:11.0.0.1", "::a00:1"] {
            #expect(!proxies.isTrusted(try #require(IPAddress(outside))), "\(outside)")
        }
        let odd = try TrustedProxies(["172.16.0.0/12", "2001:db8::/33", "::ffff:100.64.0.0/106", "0.0.0.0/0"])
        #expect(odd.ranges[0].contains(try #require(IPAddress("172.31.255.255"))))
        #expect(!odd.ranges[0].contains(try #require(IPAddress("172.32.0.0"))))
        #expect(odd.ranges[1].contains(try #require(IPAddress("2001:db8:7fff::1"))))
        #expect(!odd.ranges[1].contains(try #require(IPAddress("2001:db8:8000::1"))))
        #expect(odd.ranges[2] == TrustedProxies.Range("100.64.0.0/10"))
        #expect(odd.ranges[3].contains(try #require(IPAddress("203.0.113.1"))))
        #expect(!odd.ranges[3].contains(try #require(IPAddress("2001:db8::1"))))
    }

    @Test(
        "entries that are not CIDRs are refused with the entry named",
        arguments: [
            "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/a", "::/129", "fd00::1/8", "example.com", "10/8",
        ])
    func invalid(entry: String) {
        do {
            _ = try TrustedProxies(["127.0.0.1", entry])
            Issue.record("\(entry) accepted")
        } catch {
            #expect(error.message.contains(entry), "\(error.message)")
        }
    }

    @Test("from an untrusted peer the headers are ignored: the socket address is the client")
    func untrustedPeer() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8"])
        #expect(
            proxies.clientAddress(peer: "198.51.100.1", forwarded: ["for=1.1.1.1"], forwardedFor: ["2.2.2.2"])
                == "198.51.100.1")
        #expect(
            TrustedProxies.none.clientAddress(peer: "10.0.0.1", forwarded: [], forwardedFor: ["2.2.2.2"]) == "10.0.0.1")
        #expect(proxies.clientAddress(peer: "::ffff:198.51.100.1", forwarded: [], forwardedFor: []) == "198.51.100.1")
        #expect(proxies.clientAddress(peer: nil, forwarded: [], forwardedFor: ["2.2.2.2"]) == nil)
    }

    @Test("X-Forwarded-For is walked from the right past trusted hops; a forged left part is never believed")
    func xForwardedFor() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8", "2001:db8:ffff::/48"])
        let cases: [([String], String)] = [
            (["203.0.113.7"], "203.0.113.7"),
            (["6.6.6.6, 203.0.113.7"], "203.0.113.7"),  // the client forged 6.6.6.6; the proxy appended the real one
            (["6.6.6.6, 203.0.113.7, 10.0.0.2"], "203.0.113.7"),  // two trusted hops
            (["6.6.6.6", "203.0.113.7, 10.0.0.2"], "203.0.113.7"),  // several header lines, in order
            (["10.0.0.3, 10.0.0.2"], "10.0.0.3"),  // all trusted: the leftmost
            (["203.0.113.7:51234"], "203.0.113.7"),
            (["[2001:DB8::7]:443"], "2001:db8::7"),
            (["2001:db8::7, 2001:db8:ffff::1"], "2001:db8::7"),
            (["unknown"], "10.0.0.1"),  // not an address: the proxy itself
            (["203.0.113.7, garbage"], "10.0.0.1"),
            (["garbage, 203.0.113.7"], "203.0.113.7"),
            ([], "10.0.0.1"),
        ]
        for (headers, expected) in cases {
            #expect(
                proxies.clientAddress(peer: "10.0.0.1", forwarded: [], forwardedFor: headers) == expected, "\(headers)")
        }
    }

    @Test("Forwarded (RFC 7239) is read with quotes, ports, IPv6 and parameters, and wins over X-Forwarded-For")
    func forwarded() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8"])
        let cases: [([String], String)] = [
            (["for=203.0.113.7"], "203.0.113.7"),
            (["For=\"203.0.113.7:4711\";proto=https;by=10.0.0.1"], "203.0.113.7"),
            (["for=\"[2001:db8:cafe::17]:4711\""], "2001:db8:cafe::17"),
            (["for=6.6.6.6, for=203.0.113.7;proto=http, for=10.0.0.2"], "203.0.113.7"),
            (["proto=https;for=203.0.113.7;host=\"a;b,c\""], "203.0.113.7"),
            (["for=_hidden"], "10.0.0.1"),
            (["for=unknown, for=10.0.0.9"], "10.0.0.9"),
        ]
        for (headers, expected) in cases {
            #expect(
                proxies.clientAddress(peer: "10.0.0.1", forwarded: headers, forwardedFor: ["198.51.100.9"])
                    == expected, "\(headers)")
        }
        // A Forwarded header without any for= leaves X-Forwarded-For in charge.
        #expect(
            proxies.clientAddress(peer: "10.0.0.1", forwarded: ["proto=https"], forwardedFor: ["198.51.100.9"])
                == "198.51.100.9")
    }
}
