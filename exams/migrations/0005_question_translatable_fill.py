"""Every existing question becomes the source (default locale) of its own translation key."""

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("lms_exams", "0004_question_translatable_add_locale"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [BootstrapTranslatableModel("lms_exams.Question")]
