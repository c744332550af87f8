"""Erase personal information past its retention period (docs/privacy.md). Run daily; dry run unless --apply."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lms.privacy.registry import declarations
from lms.privacy.sweep import sweep


class Command(BaseCommand):
    help = "Erase personal information past its retention period (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Erase (without it: only count what would go).")

    def handle(self, *args, apply: bool = False, **options):
        result = sweep(dry_run=not apply)
        names = {d.label: str(d.verbose_name) for d in declarations()}
        names["people"] = _("people who left (erased whole)")
        for label, count in result.counts.items():
            self.stdout.write(f"{names.get(label, label)}: {count}")
        if result.dry_run:
            self.stdout.write(_("Dry run: %(count)d rows would be erased. Run with --apply to erase them.")
                              % {"count": result.total})
        else:
            self.stdout.write(_("Erased %(count)d rows.") % {"count": result.total})
