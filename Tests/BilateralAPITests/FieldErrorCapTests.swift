import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// "Hold under hostile load": a body of 700,000 unknown keys answered a 44.7 MB 422, and an import
/// of 200 such lines 629 MB. A record lists at most `FieldErrors.maxListed` field errors and
/// counts the rest in `errors_omitted`; so does each line of an import report.
@Suite("Field errors are capped per record")
struct FieldErrorCapTests {
    /// `{"k0":0,"k1":0,…}`: `count` members no resource knows.
    static func unknownKeys(_ count: Int, prefix: String = "") -> String {
        var text = "{" + prefix
        text.reserveCapacity(count * 12)
        for index in 0..<count {
            if index > 0 || !prefix.isEmpty { text += "," }
            text += "\"k\(index)\":0"
        }
        return text + "}"
    }

    @Test func theListStopsAtTheCapAndCountsTheRest() {
        var errors = FieldErrors()
        var built = 0
        for index in 0..<1_000 {
            errors.add(
                {
                    built += 1
                    return "f\(index)"
                }(), "is wrong")
        }
        #expect(errors.items.count == FieldErrors.maxListed)
        #expect(errors.omitted == 1_000 - FieldErrors.maxListed)
        #expect(built == FieldErrors.maxListed, "no field path is built past the cap")
        #expect(errors.items.last?.field == "f\(FieldErrors.maxListed - 1)")
    }

    @Test func aBodyOfManyUnknownKeysAnswersASmall422() throws {
        try WritingClient.with { client, _ in
            let count = 50_000
            let body = Self.unknownKeys(count, prefix: #""kind":"organization","name":"N""#)
            let response = try client.send("POST", "/v1/actors", json: body)
            #expect(response.status == 422)
            #expect(response.body.count < 16 * 1024, "\(response.body.count) bytes")
            let problem = try response.jsonObject()
            let listed = (problem["errors"] as? [[String: Any]]) ?? []
            #expect(listed.count == 100)
            #expect(listed.first?["field"] as? String == "k0")
            #expect(problem["errors_omitted"] as? Int == count - 100)
            #expect(problem["detail"] as? String == "\(count) fields are invalid; the first 100 are listed.")
        }
    }

    @Test func aFewErrorsHaveNoOmittedCount() throws {
        try WritingClient.with { client, _ in
            let response = try client.send("POST", "/v1/actors", json: #"{"kind":"organization","name":"N","x":1}"#)
            #expect(response.status == 422)
            let problem = try response.jsonObject()
            #expect((problem["errors"] as? [[String: Any]])?.count == 1)
            #expect(problem["errors_omitted"] == nil)
        }
    }

    @Test func eachImportLineListsAtMostTheCap() throws {
        try WritingClient.with { client, _ in
            let line = Self.unknownKeys(5_000, prefix: #""type":"actor","id":"a","kind":"organization","name":"A""#)
            let body = Array(([String](repeating: line, count: 3)).joined(separator: "\n").utf8)
            let response = try ImportRoutesTests.post(client, body)
            #expect(response.status == 422)
            #expect(response.body.count < 48 * 1024, "\(response.body.count) bytes")
            let lines = (try response.jsonObject()["errors"] as? [[String: Any]]) ?? []
            #expect(lines.count == 3)
            for entry in lines {
                #expect((entry["errors"] as? [[String: Any]])?.count == 100)
                #expect(entry["errors_omitted"] as? Int == 4_900)
            }
        }
    }

    @Test func importLinesWithFewErrorsHaveNoOmittedCount() throws {
        try WritingClient.with { client, _ in
            let body = Array(#"{"type":"actor","id":"a","kind":"organization","name":"A","x":1}"#.utf8)
            let response = try ImportRoutesTests.post(client, body)
            #expect(response.status == 422)
            let lines = (try response.jsonObject()["errors"] as? [[String: Any]]) ?? []
            #expect(lines.first?["errors_omitted"] == nil)
        }
    }
}
