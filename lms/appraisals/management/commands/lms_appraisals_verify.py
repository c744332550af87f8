"""``manage.py lms_appraisals_verify [--period ID]``: recompute the content hash of every closed appraisal period
and compare it with the one stored when it closed. Exits with an error if any period no longer matches."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lms.appraisals.models import AppraisalPeriod
from lms.appraisals.sealing import appraisal_period_verify


class Command(BaseCommand):
    help = "Verify the content hash of closed appraisal periods."

    def add_arguments(self, parser):
        parser.add_argument("--period", type=int, help="the id of one period (default: every closed period)")

    def handle(self, *args, period=None, **options):
        periods = AppraisalPeriod.objects.filter(status=AppraisalPeriod.Status.CLOSED).order_by("starts_on", "pk")
        if period is not None:
            periods = periods.filter(pk=period)
            if not periods.exists():
                raise CommandError(f"no closed appraisal period with id {period}")
        broken = []
        for item in periods:
            ok = appraisal_period_verify(period=item)
            self.stdout.write(f"{item} ({item.get_kind_display()}): {'OK' if ok else 'HASH MISMATCH'}")
            if not ok:
                broken.append(str(item))
        if broken:
            raise CommandError(f"content hash mismatch: {', '.join(broken)}")
