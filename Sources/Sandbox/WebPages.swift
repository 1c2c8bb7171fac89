import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The portal's web pages: `/`, and the view routes (`/en/team/profiles`) asked for without
/// `Accept: application/json` (or a JSON `Content-Type`), which the service answers with HTML,
/// as documented. A client that forgets the header, or a host that serves only pages, sees what
/// it would see on the real service.
struct WebPageMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == "/" || (Self.isViewRoute(path) && !Self.asksForJSON(request)) else {
            return try await next(request, context)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: Self.page))
        )
    }

    /// `/<two-letter language>/…`.
    static func isViewRoute(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return parts.count >= 2 && parts[0].count == 2 && parts[0].allSatisfy(\.isLetter)
    }

    static func asksForJSON(_ request: Request) -> Bool {
        [request.headers[.accept], request.headers[.contentType]].contains { $0?.lowercased().contains("application/json") ?? false }
    }

    static var page: String {
        """
        <!DOCTYPE html>
        <html><head><title>Nexudus HQ</title></head>
        <body><h1>Nexudus HQ</h1><p>The member portal (sandbox). The API answers under /api/public.</p></body></html>

        """
    }
}
