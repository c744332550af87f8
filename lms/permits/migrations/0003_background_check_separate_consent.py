"""A background check keeps the person's separate consent (PIPL Art. 29): when they signed, which version of the
text (lms.permits.consent), who recorded it. Checks recorded before stay without one (all three empty)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lms_permits', '0002_person_facts_version_triggers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='backgroundcheck',
            name='consent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='consent signed on'),
        ),
        migrations.AddField(
            model_name='backgroundcheck',
            name='consent_recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='consent recorded by'),
        ),
        migrations.AddField(
            model_name='backgroundcheck',
            name='consent_text_version',
            field=models.CharField(blank=True, max_length=20, verbose_name='consent text version'),
        ),
        migrations.AddConstraint(
            model_name='backgroundcheck',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('consent_at__isnull', True), ('consent_text_version', '')), models.Q(('consent_at__isnull', False), models.Q(('consent_text_version', ''), _negated=True)), _connector='OR'), name='lms_backgroundcheck_consent_has_version'),
        ),
    ]
