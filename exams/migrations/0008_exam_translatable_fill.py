"""Every existing exam becomes the original of its own translation group."""

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("lms_exams", "0007_exam_translatable_add_locale"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [BootstrapTranslatableModel("lms_exams.Exam")]
