import Foundation
import JSONValues
import NexudusAPI
import ShellCore

/// A command that shows one of the member's lists: its own filters, then paging in its
/// endpoint's own convention (the catalogue's), `--shape` and `--json`, all run the same way.
/// A list whose endpoint is not paged takes `--all` only, which is what it shows anyway.
protocol ListCommand: CatalogueCommand {
    associatedtype Record: Sendable & Hashable & Codable
    /// What the records are called in notes: `events`.
    var noun: String { get }
    /// The command's own options, which come before the ones every list takes.
    static var filters: [any ArgumentDeclaration] { get }
    /// The request for the line's filters, asking for `shape`'s fields only when given.
    func endpoint(_ invocation: Invocation, shape: [String]?) throws -> Endpoint
    /// The records as a table; an empty list says so in its own words.
    func table(_ records: [Record], _ invocation: Invocation, style: TextStyle) -> String
    /// Grammar beyond the paging options' (`--paid` with `--unpaid`).
    func validateFilters(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError)
}

extension ListCommand {
    func validateFilters(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {}

    /// The list's options: its filters, the paging its endpoint has, `--shape`, `--json`.
    static var listSignature: CommandSignature {
        CommandSignature(filters + ListPaging.options(for: request.paging) + [ShapeFields.option, Presentation.options])
    }

    func validate(_ arguments: ParsedArguments, in reading: LineReading) throws(ShellError) {
        try validateFilters(arguments, in: reading)
        try ListPaging.validate(arguments, paging: Self.request.paging, in: reading)
    }

    func run(_ invocation: Invocation, in context: ShellContext) async throws {
        try await showList(invocation, context)
    }

    /// The list: one page, or with `--all` every page as one.
    func showList(_ invocation: Invocation, _ context: ShellContext) async throws {
        let shape = try invocation[ShapeFields.option]?.fields
        let asked = try endpoint(invocation, shape: shape)
        let client = context.nexudus.client
        guard invocation[ListPaging.all] else {
            let page = PageRequest(number: try invocation[ListPaging.page]?.value, size: try ListPaging.pageSize(invocation, asked.paging))
            let answer = try await call(invocation, context) { try await client.list(asked, of: Record.self, page: page) }
            try show(answer, invocation, context, raw: shape != nil) { list, style in
                ([table(list.records ?? [], invocation, style: style)] + pageNote(list)).joined(separator: "\n")
            }
            return
        }
        let maxPages = try invocation[ListPaging.maxPages]?.value ?? ListPaging.defaultMaxPages
        let size = try ListPaging.pageSize(invocation, asked.paging)
        // A shaped page still has to say whether another follows (`--shape Records.Id`).
        let walked = try shape.map { fields in
            try endpoint(invocation, shape: fields.contains("HasNextPage") || asked.paging == .none ? fields : fields + ["HasNextPage"])
        } ?? asked
        let pages: AllPages<Record>
        do {
            pages = try await client.allPages(walked, of: Record.self, pageSize: size, maxPages: maxPages) { page, number in
                context.received(page.response, for: page.request)
                // Only while another page follows: a list of one page is one request, no wait to show.
                guard page.value.hasNextPage == true, asked.paging != .none else { return }
                let of = page.value.totalPages.map { " of \($0)" } ?? ""
                context.progress.show("\(noun): page \(number)\(of), asking for page \(number + 1)…")
            }
            context.progress.clear()
        } catch {
            context.progress.clear()
            throw shellError(error, invocation, context)
        }
        if let format = try invocation.bodyFormat ?? (shape != nil ? .json : nil) {
            context.print(BodyRenderer.render(pages.recordsAsReceived(), format: format, style: context.style))
        } else {
            context.print(table(pages.records, invocation, style: context.style))
        }
        if !pages.isComplete {
            let total = pages.totalItems.map { " of \($0)" } ?? ""
            context.note(
                "stopped after \(pages.pageCount) pages (--max-pages \(maxPages)): \(pages.records.count)\(total) \(noun) shown"
            )
        }
    }

    /// `page 1 of 3 · 60 events`, when the list goes on past this page.
    private func pageNote(_ list: ListResult<Record>) -> [String] {
        guard let pages = list.totalPages, pages > 1 else { return [] }
        let total = list.totalItems.map { " · \($0) \(noun)" } ?? ""
        return ["page \(list.currentPage.map(String.init) ?? "?") of \(pages)" + total]
    }
}

/// The paging options every list command shares.
enum ListPaging {
    static let page = ValueOption<PageNumber>("page", value: "N", help: "Show page N (from 1) instead of the first.")
    static let pageSize = ValueOption<PageSize>("page-size", value: "N", help: "Records a page.")
    static let all = FlagOption("all", help: "Every page, one request each, shown as one list (--json: one array of the records).")
    static let maxPages = ValueOption<PageCount>("max-pages", value: "N", help: "With --all, stop after N pages (\(defaultMaxPages) unless given).")
    /// The same option for a list the server sends whole.
    static let allAtOnce = FlagOption("all", help: "The whole list: this endpoint sends it in one answer, so this is what the command shows anyway.")

    static let defaultMaxPages = 100

    static func options(for paging: EndpointSpec.Paging) -> [any ArgumentDeclaration] {
        guard paging != .none else { return [allAtOnce] }
        // The same option as `pageSize` (options are read by name), its help in this endpoint's terms.
        let defaultSize = paging.defaultPageSize.map { "\($0) unless given; " } ?? ""
        let size = ValueOption<PageSize>("page-size", value: "N", help: "Records a page (\(defaultSize)at most \(paging.maximumPageSize)).")
        return [page, size, all, maxPages]
    }

    /// Checks what needs no server: options that exclude each other, and a literal page size
    /// over the endpoint's limit (one in a variable is checked when the line runs).
    static func validate(_ arguments: ParsedArguments, paging: EndpointSpec.Paging, in reading: LineReading) throws(ShellError) {
        if arguments.has(all), let word = arguments.words(page).first {
            throw reading.usageError("--page and --all exclude each other: --all shows every page", at: word)
        }
        if !arguments.has(all), let word = arguments.words(maxPages).first {
            throw reading.usageError("--max-pages goes with --all", at: word)
        }
        if let word = arguments.words(pageSize).last, let text = word.literal, let size = try? PageSize.parse(text),
           let problem = sizeProblem(size.value, paging) {
            throw reading.usageError(problem, at: word)
        }
    }

    /// The line's page size, checked against the endpoint's limit.
    static func pageSize(_ invocation: Invocation, _ paging: EndpointSpec.Paging) throws -> Int? {
        guard let size = try invocation[pageSize]?.value else { return nil }
        if let problem = sizeProblem(size, paging) {
            throw invocation.usageError(problem, at: invocation.arguments.words(pageSize).last)
        }
        return size
    }

    private static func sizeProblem(_ size: Int, _ paging: EndpointSpec.Paging) -> String? {
        size <= paging.maximumPageSize ? nil : "--page-size \(size) is over the server's limit of \(paging.maximumPageSize) records a page"
    }
}

struct PageNumber: PositiveIdentifier {
    static let what = "a page number"
    let value: Int
}

/// A page size, up to the most nexsh asks for; the endpoint's own limit may be lower.
struct PageSize: ArgumentValue {
    let value: Int

    static func parse(_ text: String) throws(ArgumentError) -> PageSize {
        guard let size = Int(text), (1...EndpointSpec.Paging.largestPageSize).contains(size) else {
            throw ArgumentError("'\(text)' is not a page size: expected a whole number from 1 to \(EndpointSpec.Paging.largestPageSize)")
        }
        return PageSize(value: size)
    }
}

/// How many pages `--all` may ask for: at most 10,000, so that a walk always ends.
struct PageCount: ArgumentValue {
    static let limit = 10_000
    let value: Int

    static func parse(_ text: String) throws(ArgumentError) -> PageCount {
        guard let count = Int(text), (1...limit).contains(count) else {
            throw ArgumentError("'\(text)' is not a number of pages: expected a whole number from 1 to \(limit)")
        }
        return PageCount(value: count)
    }
}
