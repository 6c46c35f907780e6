"""The year in review of ROI analytics as a PDF (WeasyPrint, from the page's templates) and every
metric as a CSV table; shared by the pages and the API so both give the dashboard's numbers."""

from __future__ import annotations

from pathlib import Path

from skillpath.core.clock import utcnow
from skillpath.domains.analytics.impact_schemas import Dashboard, Metric
from skillpath.web import i18n
from skillpath.web.exports import ExportTable
from skillpath.web.templating import templates

STATIC = Path(__file__).resolve().parent / "static"
ASSUMPTION_LABELS = {
    "cost_per_external_hire": i18n.N_("Cost per external hire"),
    "internal_transition_cost": i18n.N_("Internal transition cost"),
    "loaded_hourly_rate": i18n.N_("Loaded hourly rate"),
    "replacement_cost_share": i18n.N_("Replacement cost (share of a yearly salary)"),
    "average_salary": i18n.N_("Average yearly salary"),
    "productivity_ramp_months_external": i18n.N_("Months to full productivity, external hire"),
    "productivity_ramp_months_internal": i18n.N_("Months to full productivity, internal move"),
}


def _inputs(metric: Metric) -> str:
    return "; ".join(
        f"{name}={'' if value is None else round(value, 6)}"
        for name, value in metric.inputs.items()
    )


def metrics_table(board: Dashboard) -> ExportTable:
    """Every metric of the period with its interval, previous value, change, formula, inputs
    and assumptions."""
    _ = i18n.gettext
    report = board.roi
    return ExportTable(
        name=f"roi-{report.start.isoformat()}-{report.end.isoformat()}",
        title=_("ROI metrics"),
        headers=[
            _("Key"),
            _("Metric"),
            _("Unit"),
            _("From"),
            _("To"),
            _("Value"),
            _("Interval low"),
            _("Interval high"),
            _("Previous period"),
            _("Previous value"),
            _("Change"),
            _("Formula"),
            _("Inputs"),
            _("Assumptions"),
        ],
        rows=[
            [
                m.key,
                _(m.label),
                m.unit,
                report.start,
                report.end,
                m.value,
                m.low,
                m.high,
                f"{report.previous_start.isoformat() if report.previous_start else ''}/"
                f"{report.previous_end.isoformat() if report.previous_end else ''}",
                m.previous,
                m.change,
                m.formula,
                _inputs(m),
                "; ".join(f"{name}={report.assumptions.get(name)}" for name in m.assumptions),
            ]
            for m in report.metrics
        ],
    )


def report_pdf(board: Dashboard, *, unit_name: str | None) -> bytes:
    """The year in review as a PDF: the story-7 answer, each metric against the previous
    period with its formula, retention and the assumptions."""
    from weasyprint import HTML  # imported on use: it loads pango and cairo

    css = (STATIC / "css" / "app.css").read_text(encoding="utf-8") + (
        STATIC / "css" / "analytics.css"
    ).read_text(encoding="utf-8")
    html = templates.get_template("analytics/report_print.html").render(
        {
            "board": board,
            "report": board.roi,
            "metrics": {m.key: m for m in board.roi.metrics},
            "unit_name": unit_name,
            "assumption_labels": {k: i18n.gettext(v) for k, v in ASSUMPTION_LABELS.items()},
            "css": css,
            "locale": i18n.current_locale.get(),
            "print": True,
            "generated_at": utcnow(),
        }
    )
    pdf: bytes = HTML(string=html, base_url=str(STATIC)).write_pdf()
    return pdf
