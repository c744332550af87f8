"""Keeping the role groups in step with the role matrix (lms/roles.py): Django permissions of every app, and
Wagtail's page and collection permissions. Run by the role-group data migration and after every ``migrate``."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from lms import roles


def roles_sync(*, group_model=Group, permission_model=Permission) -> None:
    """Create the role groups and grant exactly the matrix's permissions (idempotent). Also used by the
    data migration with historical models."""
    available = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in permission_model.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for role in roles.ROLES:
        group, __ = group_model.objects.get_or_create(name=role)
        wanted = roles.expand(roles.MATRIX[role], list(available))
        group.permissions.set([available[p] for p in wanted])


def roles_sync_wagtail() -> None:
    """Give the role groups exactly the page and collection permissions of the matrix, on the tree's root (run
    after migrate). Anything else a role group holds (on any page or collection) is taken away: the matrix is the
    truth, a site that wants more makes a group of its own."""
    from django.contrib.auth.models import Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    from courses.pages import Page  # the site's base page (WAGTAIL_PAGE_MODEL) when it swaps Wagtail's

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for role in roles.ROLES:
        group = Group.objects.get(name=role)
        page_perms = []
        if root_page is not None:
            page_perms = list(Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=roles.PAGE_PERMISSIONS.get(role, [])
            ))
            for perm in page_perms:
                GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=perm)
        GroupPagePermission.objects.filter(group=group).exclude(
            page=root_page, permission__in=page_perms
        ).delete()
        collection_perms = []
        if root_collection is not None:
            for label in roles.COLLECTION_PERMISSIONS.get(role, []):
                app_label, codename = label.split(".")
                perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
                if perm:
                    collection_perms.append(perm)
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=perm
                    )
        GroupCollectionPermission.objects.filter(group=group).exclude(
            collection=root_collection, permission__in=collection_perms
        ).delete()
