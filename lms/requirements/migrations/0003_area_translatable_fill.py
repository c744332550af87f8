# Every existing row becomes the source in the site's default locale (LANGUAGE_CODE), with its own translation key:
# Wagtail's documented way to make a model with data translatable (BootstrapTranslatableMixin, then this, then
# TranslatableMixin in the next migration). Wagtail's own 0054_initial_locale created that Locale.

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):

    dependencies = [
        ("lms_requirements", "0002_area_translatable_add_locale"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [
        BootstrapTranslatableModel("lms_requirements.Area"),
    ]
