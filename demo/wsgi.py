import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings.production")
application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, the apps and their models: about 250,000 objects) lives as long as the
# process. Frozen, it is left out of the garbage collector's passes: a full pass over it took about 150 ms in the
# middle of a burst of exam starts, with every request queued behind it (docs/operations.md, "Deploying").
gc.collect()
gc.freeze()
