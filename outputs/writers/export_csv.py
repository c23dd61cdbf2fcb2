"""`export --format csv`: the membership intervals as CSV."""

import io

from outputs.writers import Request, Writer, Written


class CsvExport(Writer):
    command, format, default = "export", "csv", True
    summary = (
        "one row per membership interval (person, body, group, role, organisation, region, first_seen, "
        "last_seen, ended_at = first capture without them); stdout or --out"
    )

    def write(self, request: Request) -> Written:
        from outputs.export import write_csv
        from outputs.timeline import membership_intervals

        text = io.StringIO()
        write_csv(membership_intervals(request.history), text)
        return Written(text.getvalue())
