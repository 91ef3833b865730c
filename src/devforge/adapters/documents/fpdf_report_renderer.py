"""A scheduled analytics report as PDF, on the invoices' page furniture (``fpdf_pages``): the
report and its period, then each figure as a chart (bars, or a line for a level such as active
editors) with its total, then a table of the totals.

The charts are drawn with fpdf2's own rectangles and lines, which the statements already use: a
bar or line chart of one series needs nothing more, and a plotting library (matplotlib costs tens
of megabytes and a second or two to import) would buy nothing here. Rendered in the worker only."""

from __future__ import annotations

from typing import Any

from devforge.domain.analytics.report_document import Figure, ReportDocument

CHART_HEIGHT = 38.0
_BAR = (13, 71, 161)
_GRID = (222, 226, 230)


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


class FpdfReportRenderer:
    def render_pdf(self, document: ReportDocument) -> bytes:
        from devforge.adapters.documents import fpdf_pages

        run, definition = document.run, document.definition
        pdf = fpdf_pages.Document(f"{definition.title} {run.label}")
        pdf.alias_nb_pages()
        pdf.add_page()
        pdf.heading("REPORT", definition.title)
        pdf.facts(
            [
                ("Period", f"{run.label} (UTC)"),
                ("Made", f"{document.made_at:%Y-%m-%d %H:%M} UTC"),
                ("Run", str(run.id)),
            ]
        )
        for figure in document.figures:
            _chart(pdf, figure)
        pdf.table_of(
            ("Figure", "Metric", "Total"),
            (70, 70, 34),
            [(f.spec.title, f.spec.metric, _number(f.total)) for f in document.figures],
        )
        return bytes(pdf.output())


def _chart(pdf: Any, figure: Figure) -> None:
    from devforge.adapters.documents import fpdf_pages

    if pdf.get_y() + CHART_HEIGHT + 18 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.text_line(f"{figure.spec.title}: {_number(figure.total)}", size=11, style="B")
    left, top = pdf.l_margin + 14, pdf.get_y() + 1
    width, height = pdf.w - pdf.r_margin - left, CHART_HEIGHT
    values = [value for _, value in figure.points]
    highest = max(values, default=0.0) or 1.0
    pdf.set_draw_color(*_GRID)
    pdf.set_line_width(0.2)
    for step in range(5):
        y = top + height - height * step / 4
        pdf.line(left, y, left + width, y)
    pdf.set_font(fpdf_pages.FONT, "", 7)
    pdf.set_text_color(*fpdf_pages.MUTED)
    pdf.set_xy(pdf.l_margin, top - 1.5)
    pdf.cell(13, 3, _number(highest), align="R")
    pdf.set_xy(pdf.l_margin, top + height - 1.5)
    pdf.cell(13, 3, "0", align="R")
    slot = width / max(len(values), 1)
    if figure.spec.chart == "line":
        points = [(left + slot * (i + 0.5), top + height - height * v / highest) for i, v in enumerate(values)]
        pdf.set_draw_color(*_BAR)
        pdf.set_fill_color(*_BAR)
        pdf.set_line_width(0.6)
        if len(points) > 1:
            pdf.polyline(points)
        for x, y in points:
            pdf.circle(x=x, y=y, radius=0.7, style="F")
    else:
        pdf.set_fill_color(*_BAR)
        for index, value in enumerate(values):
            bar = height * value / highest
            if bar > 0:
                pdf.rect(left + slot * index + slot * 0.15, top + height - bar, slot * 0.7, bar, style="F")
    if figure.points:
        pdf.set_xy(left, top + height + 0.5)
        pdf.cell(width / 2, 3, f"{figure.points[0][0]:%d %b}")
        pdf.cell(width / 2, 3, f"{figure.points[-1][0]:%d %b}", align="R")
    pdf.set_xy(pdf.l_margin, top + height + 6)
