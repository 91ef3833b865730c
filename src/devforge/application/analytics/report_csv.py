"""A report run as CSV: one row per figure and bucket, then one total row per figure."""

from __future__ import annotations

import csv
import io

from devforge.domain.analytics.report_document import ReportDocument


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}"


def report_csv(document: ReportDocument) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["metric", "title", "bucket", "value"])
    for figure in document.figures:
        for bucket, value in figure.points:
            writer.writerow([figure.spec.metric, figure.spec.title, bucket.date().isoformat(), _number(value)])
    for figure in document.figures:
        writer.writerow([figure.spec.metric, figure.spec.title, "total", _number(figure.total)])
    return out.getvalue().encode()
