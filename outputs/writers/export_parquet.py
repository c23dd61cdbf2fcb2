"""`export --format parquet`: the membership intervals as Parquet."""

import io

from outputs.writers import Request, Writer, Written


class ParquetExport(Writer):
    command, format = "export", "parquet"
    summary = "the same table as Parquet, for pandas.read_parquet (needs --out)"
    needs_out = "Parquet is a binary file; pass --out FILE.parquet"

    def write(self, request: Request) -> Written:
        from outputs.export import write_parquet
        from outputs.timeline import membership_intervals

        data = io.BytesIO()
        write_parquet(membership_intervals(request.history), data)
        return Written(data.getvalue())
