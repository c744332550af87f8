"""Demo data, built through the services (never fixtures). One module per app; each has ``load(out)``.

Every loader is idempotent: running ``manage.py lms_load_demo`` twice changes nothing.
"""

# The language the demo company writes its content in: the originals (docs/translation.md).
CONTENT_LANGUAGE = "zh-hans"

# Loaded in this order; a module that does not exist yet is skipped.
LOADERS = [
    "demo.data.foundation",
    "demo.data.exams",
    "demo.data.h5p",
    "demo.data.scorm",
    "demo.data.certificates",
    "demo.data.archive",
    "demo.data.permits",
    "demo.data.agreements",
    "demo.data.requirements",
    "demo.data.appraisals",
    "demo.data.translations",  # English copies of the security course, the agreement, its check and the final exam
    "demo.data.authorship",  # pages published before the demo people existed get their author
    "demo.data.exams_review",  # last: exam content seeded above is live; from now on changes need a second trainer
]
