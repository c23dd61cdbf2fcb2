"""`export --format popolo`: the whole history as one Popolo JSON document."""

import json

from outputs.writers import Request, Writer, Written


class PopoloExport(Writer):
    command, format = "export", "popolo"
    summary = (
        "Popolo JSON: persons with other_names, organizations, areas, memberships with start_date/end_date "
        "and sources; stdout or --out"
    )

    def write(self, request: Request) -> Written:
        from outputs.export import popolo

        return Written(json.dumps(popolo(request.history), ensure_ascii=False, indent=2) + "\n")
