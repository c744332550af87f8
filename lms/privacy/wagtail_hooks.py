"""Registration only: "Download this person's data" in the People list's "More" menu (lms/privacy/buttons.py)."""

from wagtail import hooks

from lms.privacy.buttons import person_data_button

hooks.register("register_snippet_listing_buttons", person_data_button)
