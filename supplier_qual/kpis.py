"""The KPIs taken from the buyer's performance data: what each measures, from which figures, on what sample.

Outcomes and formulas:

- F (product characteristics monitored): defect rate in ppm; lots rejected as a
  share of lots received.
- G (nonconformities corrected, complaints handled): complaints per year
  (complaints × 12 / period months); the share of complaints closed (all closed
  when there were none); corrective actions overdue.
- I (continual improvement): on-time delivery %; its change against the previous
  period, in percentage points; the relative fall in defect ppm against the previous
  period, in %.

The *sample* of a KPI is what it is judged on: on-time delivery on ``deliveries``;
defect ppm and lot rejection on ``lots_received`` (else ``deliveries``). Complaints
and overdue corrective actions count whatever the sample. Where the buyer gives no
count, the sample is unknown and the KPI is used as given.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Performance


@dataclass(frozen=True)
class Kpi:
    """One KPI: its outcome, how the report words its value, and what the supplier should do about it.

    ``count`` KPIs (corrective actions overdue) are past a gate from its value on;
    rates only beyond it. ``sample`` names what the KPI is judged on
    (``deliveries``, ``lots``, or empty when any sample will do); ``unit`` how a
    threshold is written (``{value:,.0f} ppm``).
    """

    name: str
    outcome: str
    label: str
    action: str
    unit: str
    count: bool = False
    sample: str = ""

    def figure(self, value: float | None) -> str:
        """A threshold or value in the KPI's unit: ``1,000 ppm``, ``90 %``, ``+5 points``."""
        return "-" if value is None else self.unit.format(value=round(value, 1))


KPIS: tuple[Kpi, ...] = (
    Kpi(
        "defect_ppm",
        "F",
        "defect rate {value:,.0f} ppm",
        "Analyse the causes of delivered defects and send a containment and corrective-action plan (8D).",
        "{value:,.0f} ppm",
        sample="lots",
    ),
    Kpi(
        "lot_rejection_pct",
        "F",
        "{value:.1f} % of lots rejected",
        "Investigate rejected lots and strengthen final inspection and release.",
        "{value:g} %",
        sample="lots",
    ),
    Kpi(
        "complaints_per_year",
        "G",
        "{value:.1f} complaints a year",
        "Analyse complaint trends and act on the main causes.",
        "{value:g} a year",
    ),
    Kpi(
        "complaints_closed_pct",
        "G",
        "{value:.0f} % of complaints closed",
        "Close the open complaints with root-cause analysis and effectiveness checks.",
        "{value:g} %",
    ),
    Kpi(
        "corrective_actions_overdue",
        "G",
        "{value:.0f} corrective actions overdue",
        "Close the overdue corrective actions and report their effectiveness.",
        "{value:g}",
        count=True,
    ),
    Kpi(
        "on_time_delivery_pct",
        "I",
        "on-time delivery {value:.1f} %",
        "Send a delivery-performance improvement plan (capacity, planning, logistics).",
        "{value:g} %",
        sample="deliveries",
    ),
    Kpi(
        "on_time_delivery_change_pts",
        "I",
        "on-time delivery changed by {value:+.1f} points",
        "Explain the fall in on-time delivery and how it will be recovered.",
        "{value:+g} points",
        sample="deliveries",
    ),
    Kpi(
        "defect_ppm_improvement_pct",
        "I",
        "defect rate improved by {value:+.0f} %",
        "Explain the rise in defect rate and the actions taken against it.",
        "{value:+g} %",
        sample="lots",
    ),
)
BY_NAME: dict[str, Kpi] = {kpi.name: kpi for kpi in KPIS}


@dataclass(frozen=True)
class Measure:
    """A KPI's value for one supplier, and the sample it rests on (``None``: not given)."""

    kpi: Kpi
    value: float
    sample: int | None = None

    @property
    def label(self) -> str:
        label = self.kpi.label.format(value=self.value)
        return label.replace("actions", "action") if self.kpi.count and self.value == 1 else label

    def too_small(self, minimum: int) -> bool:
        """Whether the sample is known and below ``minimum``: too few deliveries to judge."""
        return self.sample is not None and self.sample < minimum


def sample_size(performance: Performance, kpi: Kpi) -> int | None:
    """What ``kpi`` is judged on: deliveries, or lots received (else deliveries); ``None`` when not given."""
    if kpi.sample == "deliveries":
        return performance.deliveries
    if kpi.sample == "lots":
        return performance.lots_received if performance.lots_received is not None else performance.deliveries
    return None


def values(performance: Performance) -> dict[str, float]:
    """Every KPI value the data allows, by KPI name; what was not measured is left out."""
    p = performance
    found: dict[str, float | None] = {"defect_ppm": p.defect_ppm}
    if p.lots_received and p.lots_rejected is not None:
        found["lot_rejection_pct"] = 100.0 * p.lots_rejected / p.lots_received
    if p.complaints is not None:
        found["complaints_per_year"] = p.complaints * 12.0 / p.period_months
        if p.complaints == 0:
            found["complaints_closed_pct"] = 100.0
        elif p.complaints_closed is not None:
            found["complaints_closed_pct"] = 100.0 * p.complaints_closed / p.complaints
    found["corrective_actions_overdue"] = p.corrective_actions_overdue
    found["on_time_delivery_pct"] = p.on_time_delivery_pct
    if p.on_time_delivery_pct is not None and p.previous_on_time_delivery_pct is not None:
        found["on_time_delivery_change_pts"] = p.on_time_delivery_pct - p.previous_on_time_delivery_pct
    if p.defect_ppm is not None and p.previous_defect_ppm is not None:
        previous = p.previous_defect_ppm
        change = (previous - p.defect_ppm) / previous if previous else (0.0 if p.defect_ppm == 0 else -1.0)
        found["defect_ppm_improvement_pct"] = 100.0 * change
    return {name: value for name, value in found.items() if value is not None}


def measures(performance: Performance, outcome_id: str | None = None) -> list[Measure]:
    """The measured KPIs (of ``outcome_id``, or all), in the order of :data:`KPIS`."""
    found = _all_measures(performance)
    if outcome_id is None:
        return list(found)
    return [m for m in found if m.kpi.outcome == outcome_id]


def measure(performance: Performance, name: str) -> Measure | None:
    """The KPI ``name`` as measured, or ``None`` when the data does not give it."""
    return next((m for m in _all_measures(performance) if m.kpi.name == name), None)


_LAST: list[tuple[Performance, tuple[Measure, ...]]] = []


def _all_measures(performance: Performance) -> tuple[Measure, ...]:
    """Every measured KPI of ``performance``; the last performance data's are kept (it is frozen: one
    assessment asks for them a dozen times)."""
    last = _LAST[0] if _LAST else None
    if last is not None and last[0] is performance:
        return last[1]
    found = values(performance)
    listed = tuple(Measure(kpi, found[kpi.name], sample_size(performance, kpi)) for kpi in KPIS if kpi.name in found)
    _LAST[:] = [(performance, listed)]
    return listed


def period_words(performance: Performance) -> str:
    """``over 12 months`` or ``over the 12 months to 2026-09-30``."""
    months = f"{performance.period_months} month{'s' * (performance.period_months != 1)}"
    if performance.period_end is not None:
        return f"over the {months} to {performance.period_end.isoformat()}"
    return f"over {months}"
