"""`report --format html`: the HTML report, and the captured pages it links to beside it."""

from urllib.parse import quote

from outputs.writers import Request, Writer, Written


class HtmlReport(Writer):
    command, format = "report", "html"
    summary = (
        "HTML: a chart per body (members per group, joins and leaves per capture), the current composition, "
        "and each change linked to the page as captured before and after (archived copies in FILE-captures/, "
        "scripts removed)"
    )
    better_with_out = (
        "on standard output it links no archived pages; pass --out FILE.html to write them beside the report"
    )

    def write(self, request: Request) -> Written:
        from outputs.archive import archived_page
        from outputs.html_report import captures_to_archive, render_html_report

        if request.out is None:
            return Written(render_html_report(request.history, request.generated_at, request.since))
        folder = f"{request.out.stem}-captures"
        wanted = captures_to_archive(request.history, request.since)
        pages = request.pages(wanted) if request.pages else {}
        beside = {f"{folder}/capture-{cid}.html": archived_page(page) for cid, page in pages.items()}
        links = {cid: f"{quote(folder)}/capture-{cid}.html" for cid in pages}
        return Written(render_html_report(request.history, request.generated_at, request.since, links), beside)
