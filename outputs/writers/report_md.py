"""`report --format md`: the Markdown report over everything stored."""

from outputs.writers import Request, Writer, Written


class MarkdownReport(Writer):
    command, format, default = "report", "md", True
    summary = "Markdown: per body the changes, with the captures they come from, and the current composition"

    def write(self, request: Request) -> Written:
        from outputs.report import render_history_report

        return Written(render_history_report(request.history, request.generated_at, request.since))
