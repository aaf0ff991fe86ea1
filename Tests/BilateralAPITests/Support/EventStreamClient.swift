import Foundation
import HTTPCore
import HTTPTestSupport

/// One Server-Sent Event as received: `id`, `event` and `data` fields; comments apart.
struct ReceivedEvent: Equatable {
    var id: String?
    var event: String?
    var data: String
}

/// A client of an event stream over a raw socket: reads the response head, then takes the
/// chunked body apart as it arrives and splits it into events, waiting at most a deadline.
final class EventStreamClient {
    let client: RawClient
    private(set) var status = 0
    private(set) var headers = HTTPHeaders()
    /// The body so far, without its chunk framing.
    private(set) var body: [UInt8] = []
    /// Body bytes already split into events.
    private var parsed = 0
    private(set) var events: [ReceivedEvent] = []
    private(set) var comments: [String] = []
    /// The last chunk (`0\r\n\r\n`) arrived: the body ended cleanly.
    private(set) var ended = false
    /// Raw bytes after the head not yet taken apart.
    private var raw: [UInt8] = []

    private init(client: RawClient) {
        self.client = client
    }

    /// Sends `GET target` and reads the head of the answer.
    static func open(
        _ server: HTTPServer, _ target: String, headers: [(String, String)] = [], timeout: Duration = .seconds(5)
    ) throws -> EventStreamClient {
        let client = try RawClient.connect(port: server.port, host: server.configuration.host)
        var head = "GET \(target) HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try client.send(head + "\r\n")
        let stream = EventStreamClient(client: client)
        try stream.readHead(deadline: .now + timeout)
        return stream
    }

    private func readHead(deadline: ContinuousClock.Instant) throws {
        var received: [UInt8] = []
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            received += client.readAvailable(timeout: .milliseconds(10))
            if let range = received.firstRange(of: end) {
                let lines = String(decoding: received[..<range.lowerBound], as: UTF8.self)
                    .components(separatedBy: "\r\n")
                let statusParts = lines.first?.split(separator: " ") ?? []
                status = statusParts.count > 1 ? Int(statusParts[1]) ?? 0 : 0
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers.add(
                        String(line[..<colon]),
                        String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
                }
                raw = Array(received[range.upperBound...])
                return
            }
            if client.peerClosed || ContinuousClock.now >= deadline {
                throw TestFailure("no response head: \(String(decoding: received, as: UTF8.self).debugDescription)")
            }
        }
    }

    /// Reads until `done` holds or `timeout` passes.
    /// - Returns: Whether `done` held.
    @discardableResult
    func read(within timeout: Duration = .seconds(5), until done: (EventStreamClient) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            take()
            if done(self) { return true }
            if ended || client.peerClosed || ContinuousClock.now >= deadline { return false }
            raw += client.readAvailable(timeout: .milliseconds(10))
        }
    }

    /// Waits for `count` events in all.
    @discardableResult
    func waitForEvents(_ count: Int, within timeout: Duration = .seconds(5)) -> [ReceivedEvent] {
        read(within: timeout) { $0.events.count >= count }
        return events
    }

    /// Whether the connection closes within `timeout`, reading what arrives meanwhile.
    func closes(within timeout: Duration) -> Bool {
        read(within: timeout) { _ in false }
        return client.peerClosed || client.isClosedByPeer(within: .milliseconds(200))
    }

    func close() { client.close() }

    /// Takes the chunk framing apart, then the events.
    private func take() {
        while !ended {
            guard let lineEnd = raw.firstRange(of: Array("\r\n".utf8)) else { break }
            let sizeText = String(decoding: raw[..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText, radix: 16) else {
                body += Array("!bad chunk size \(sizeText.debugDescription)!".utf8)
                ended = true
                break
            }
            let dataStart = lineEnd.upperBound
            guard raw.count >= dataStart + size + 2 else { break }
            if size == 0 {
                ended = true
                raw.removeFirst(dataStart + 2)
                break
            }
            body += raw[dataStart..<dataStart + size]
            raw.removeFirst(dataStart + size + 2)
        }
        while let blockEnd = body[parsed...].firstRange(of: Array("\n\n".utf8)) {
            let block = String(decoding: body[parsed..<blockEnd.lowerBound], as: UTF8.self)
            parsed = blockEnd.upperBound
            var event = ReceivedEvent(id: nil, event: nil, data: "")
            var isEvent = false
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") {
                    comments.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
                    continue
                }
                isEvent = true
                let (field, value) =
                    line.firstIndex(of: ":").map {
                        (String(line[..<$0]), String(line[line.index(after: $0)...]).trimmingPrefix(" "))
                    } ?? (String(line), "")
                switch field {
                case "id": event.id = String(value)
                case "event": event.event = String(value)
                case "data": event.data += event.data.isEmpty ? String(value) : "\n" + value
                default: break
                }
            }
            if isEvent { events.append(event) }
        }
    }

    /// The data of each `change` event, parsed.
    func changes() throws -> [[String: Any]] {
        try events.filter { $0.event == "change" }.map { event in
            guard let object = try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any] else {
                throw TestFailure("not a change: \(event.data)")
            }
            return object
        }
    }
}
