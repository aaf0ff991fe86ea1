import HTTPCore
import HTTPTestSupport
import Testing

@Suite("Listening: IPv4, IPv6, ephemeral ports, SO_REUSEADDR")
struct ListeningTests {
    @Test("port 0 binds an ephemeral port the caller can read back")
    func ephemeralPort() throws {
        try withTestServer(responder: TestRoutes.make()) { first in
            try withTestServer(responder: TestRoutes.make()) { second in
                #expect(first.configuration.port == 0)
                #expect((1024...65535).contains(first.port))
                #expect(first.port != second.port)
                let client = try RawClient.connect(port: first.port)
                try client.expectUsable()
            }
        }
    }

    @Test("IPv4 on 127.0.0.1")
    func ipv4() throws {
        try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port, host: "127.0.0.1")
            let response = try client.get("/healthz")
            #expect(response.status == 200)
            #expect(response["Content-Length"] == "2")
            // RFC 9110 §5.6.7: IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`.
            let date = try #require(response["Date"])
            #expect(date.utf8.count == 29 && date.hasSuffix(" GMT"), "Date: \(date)")
            try client.expectUsable()
        }
    }

    @Test("IPv6 on ::1", .enabled(if: Loopback.hasIPv6, "skipped: this machine cannot bind ::1 (no IPv6 loopback)"))
    func ipv6Loopback() throws {
        try withTestServer(configuration: .test(host: "::1"), responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port, host: "::1")
            let response = try client.get("/target")
            #expect(response.status == 200)
            #expect(response.bodyString == "GET /target path=/target")
            try client.expectUsable()
        }
    }

    /// `--host ::` means every interface, IPv4 included (IPV6_V6ONLY off).
    @Test(
        "IPv6 on :: serves ::1 and 127.0.0.1",
        .enabled(if: Loopback.hasIPv6, "skipped: this machine cannot bind ::1 (no IPv6 loopback)"))
    func ipv6Any() throws {
        try withTestServer(configuration: .test(host: "::"), responder: TestRoutes.make()) { server in
            for host in ["::1", "127.0.0.1"] {
                let client = try RawClient.connect(port: server.port, host: host)
                let response = try client.get("/healthz")
                #expect(response.status == 200, "via \(host)")
                try client.expectUsable()
            }
        }
    }

    /// The server closes first here, so its side of the connection sits in TIME_WAIT; without
    /// SO_REUSEADDR a restart on the same port fails with EADDRINUSE.
    @Test("a restarted server binds its port while old connections are in TIME_WAIT")
    func reuseAddress() throws {
        let port = try withTestServer(responder: TestRoutes.make()) { server in
            let client = try RawClient.connect(port: server.port)
            let response = try client.get("/close")
            #expect(response.announcesClose)
            client.expectClosed()
            client.close()
            return server.port
        }
        var configuration = ServerConfiguration.test()
        configuration.port = port
        let server = try HTTPServer(configuration: configuration, responder: TestRoutes.make())
        defer { server.shutdown() }
        #expect(server.port == port)
        try RawClient.connect(port: port).expectUsable()
    }
}
