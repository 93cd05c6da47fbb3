"""The only table the indicators write: one row of daily cells per residence and local day."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.residences.models import Residence


class DailyFigures(models.Model):
    """What happened in a residence on one local day, as computed by ``compute.compute_days``:
    counts and states (``values``), the ids of the people behind each figure (``people``, used
    only for distinct counts and the "< 5" rule, never shown) and durations in seconds."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    values = models.JSONField(default=dict)
    people = models.JSONField(default=dict)
    durations = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["residence", "day"], name="unique_daily_figures")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.residence_id} {self.day}"
