"""Declarations for models of other packages (Django's, Wagtail's, DRF's).

Same keys as a model's nested ``PersonalData`` (lms/privacy/registry.py)."""

ACTOR_ONLY = {"erase": "keep"}

EXTERNAL: dict[str, dict] = {
    # The account itself: erased by lms.privacy.erasure.erase_person (pseudonymised in place, never deleted, so
    # every row that names it as an actor keeps pointing somewhere).
    "auth.User": {"person": "pk", "personal": ("username", "first_name", "last_name", "email", "password"),
                  "erase": "pseudonymise"},
    "wagtailusers.UserProfile": {"person": "user", "personal": ("avatar",), "erase": "delete"},
    "authtoken.Token": {"person": "user", "erase": "delete"},
    "wagtailcore.APIToken": {"person": "user", "erase": "delete"},
    "wagtailadmin.EditingSession": {"person": "user", "erase": "delete"},
    "wagtailadmin.FormState": {"person": "user", "erase": "delete"},
    "wagtailcore.PageSubscription": {"person": "user", "erase": "delete"},
    "wagtailcore.Comment": {"person": "user", "personal": ("text",), "actors": ("resolved_by",), "erase": "keep"},
    "wagtailcore.CommentReply": {"person": "user", "personal": ("text",), "erase": "keep"},
    # Staff acting on content: the rows are about the content, and keep naming the (pseudonymised) account.
    "wagtailcore.Page": {"actors": ("owner", "locked_by"), **ACTOR_ONLY},
    "wagtailcore.Revision": {"actors": ("user",), **ACTOR_ONLY},
    "wagtailcore.WorkflowState": {"actors": ("requested_by",), **ACTOR_ONLY},
    "wagtailcore.TaskState": {"actors": ("finished_by",), **ACTOR_ONLY},
    "wagtailcore.UploadedFile": {"actors": ("uploaded_by_user",), **ACTOR_ONLY},
    "wagtaildocs.Document": {"actors": ("uploaded_by_user",), **ACTOR_ONLY},
    "wagtailimages.Image": {"actors": ("uploaded_by_user",), **ACTOR_ONLY},
    "admin.LogEntry": {"actors": ("user",), "personal": ("object_repr",), **ACTOR_ONLY},
    # Wagtail's action logs name the object they changed in ``label``: erase_person rewrites the labels of the
    # person's own account and profile (lms.privacy.erasure).
    "wagtailcore.ModelLogEntry": {"actors": ("user",), "personal": ("label",), **ACTOR_ONLY},
    "wagtailcore.PageLogEntry": {"actors": ("user",), **ACTOR_ONLY},
}
