"""The refusal raised by the pure package modules. No Django imports: messages are translated by
``courses.h5p.messages`` from the rule code."""

from __future__ import annotations


class PackageError(Exception):
    """A package was refused. ``file`` names the archive entry (or the archive), ``rule`` the broken rule."""

    def __init__(self, rule: str, file: str, **detail: object) -> None:
        self.rule = rule
        self.file = file
        self.detail = detail
        super().__init__(f"{file}: {rule} {detail}" if detail else f"{file}: {rule}")
