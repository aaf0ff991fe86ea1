/// What the router decides from a head alone, before a body is read (`Responder.admission`).
extension Router {
    /// A request with a body, from its head: 404 for an unknown path, 405 for a method the path
    /// does not answer, and otherwise what the route's `admit` rule says. OPTIONS and `*` are
    /// left to `respond`.
    public func admission(for request: Request) -> Admission {
        if request.method == .options || request.path == "*" { return .accept }
        // No handler reads the content of a GET or HEAD (RFC 9110 §9.3.1 gives it no meaning):
        // refused unread, so a body can never be buffered on a public read. An unknown path or a
        // method the path does not answer is still a 404 or a 405 first, as without content.
        let bodiless = request.method == .get || request.method == .head
        let contentRefused = HTTPError(
            .badRequest, detail: "A \(request.method) request carries no content here; send the query in the URL.")
        do {
            let candidates = matches(try Router.decodeSegments(request.path))
            guard !candidates.isEmpty else {
                return .refuse(HTTPError(.notFound, detail: "No resource lives at \(request.path)."))
            }
            let method = request.method == .head ? HTTPMethod.get : request.method
            guard
                let best = candidates.filter({ $0.route.method == method }).max(by: {
                    $0.route.literalCount < $1.route.literalCount
                })
            else {
                return .refuse(methodNotAllowed(request, candidates))
            }
            if bodiless { return .refuse(contentRefused) }
            guard let admit = best.route.admit else { return .accept }
            var routed = request
            routed.pathParameters = best.parameters
            routed.route = best.route.pattern
            return admit(routed)
        } catch let error as HTTPError {
            return .refuse(error)
        } catch {
            return bodiless ? .refuse(contentRefused) : .accept
        }
    }
}
