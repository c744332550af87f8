"""The base page class this app builds on: Wagtail's ``Page`` or the site's swapped ``WAGTAIL_PAGE_MODEL``.

A reusable app must follow ``WAGTAIL_PAGE_MODEL`` (Wagtail 8). The swapped model's app must come before
ours in INSTALLED_APPS, as Django requires for any model we subclass.
"""

import swapper

BASE_PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page")
Page = swapper.load_model("wagtailcore", "Page", require_ready=False)
