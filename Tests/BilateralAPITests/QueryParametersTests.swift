import HTTPCore
import Testing

@testable import BilateralAPI

@Suite("Query parameters")
struct QueryParametersTests {
    static func parameters(_ query: String, allowed: Set<String> = ["region", "q", "limit", "cursor"]) throws
        -> QueryParameters
    {
        try QueryParameters(Request(method: .get, target: "/v1/countries?" + query), allowed: allowed)
    }

    /// The 400 `body` throws, or a recorded issue.
    static func badRequest(_ body: () throws -> Void) -> ProblemDetails? {
        do {
            try body()
            Issue.record("expected a 400")
        } catch let error as HTTPError {
            #expect(error.problem.status == .badRequest)
            return error.problem
        } catch {
            Issue.record("unexpected \(error)")
        }
        return nil
    }

    @Test func unknownParameterIsNamedAndTheAcceptedOnesListed() throws {
        let problem = Self.badRequest { _ = try Self.parameters("limit=5&regoin=Asia") }
        #expect(problem?.errors.first?.field == "regoin")
        #expect(problem?.detail.contains("accepted: cursor, limit, q, region") == true, "\(problem?.detail ?? "")")
    }

    @Test func anEndpointWithoutParametersSaysNone() {
        let problem = Self.badRequest { _ = try Self.parameters("x=1", allowed: []) }
        #expect(problem?.errors.first?.field == "x")
        #expect(problem?.detail.contains("accepted: none") == true)
    }

    @Test func repeatedSingleValuedParameterIs400() throws {
        let query = try Self.parameters("region=Asia&region=Europe")
        let problem = Self.badRequest { _ = try query.single("region") }
        #expect(problem?.errors.first?.field == "region")
    }

    @Test func emptyValueIs400() throws {
        let query = try Self.parameters("q=")
        #expect(Self.badRequest { _ = try query.single("q") }?.errors.first?.field == "q")
    }

    @Test func valuesArePercentDecoded() throws {
        let query = try Self.parameters("q=C%C3%B4te+d%27Ivoire")
        #expect(try query.single("q") == "Côte d'Ivoire")
        #expect(try query.single("region") == nil)
    }

    @Test(arguments: ["0", "501", "abc", "-1", "1.5", "", "%20", "1e2", "99999999999999999999"])
    func limitOutOfRangeIs400(value: String) throws {
        let problem = Self.badRequest { _ = try Self.parameters("limit=\(value)").limit() }
        #expect(problem?.errors.first?.field == "limit")
    }

    @Test(arguments: [("1", 1), ("500", 500), ("50", 50), ("007", 7)])
    func limitInRange(value: String, expected: Int) throws {
        #expect(try Self.parameters("limit=\(value)").limit() == expected)
    }

    @Test func limitDefaultsTo50() throws {
        #expect(try Self.parameters("").limit() == 50)
        #expect(try QueryParameters(Request(method: .get, target: "/v1/countries"), allowed: ["limit"]).limit() == 50)
    }

    @Test func listsSplitCommasAndEnumerationsNameTheBadValue() throws {
        let query = try Self.parameters("status=agreed,active&status=proposed", allowed: ["status"])
        #expect(try query.list("status") == ["agreed", "active", "proposed"])
        let accepted = ["agreed", "active"]
        let problem = Self.badRequest { _ = try query.enumeration("status", accepted: accepted) }
        #expect(problem?.errors.first?.field == "status")
        #expect(problem?.detail.contains("'proposed'") == true)
        #expect(problem?.detail.contains("accepted: agreed, active") == true)
    }
}
