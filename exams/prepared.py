"""Reads compiled once per process. The reads of a start (the exam with the person's override, their attempts, the
enrolment check) have a fixed shape and differ only in a few values (an exam's id, a person's), yet Django builds
and compiles their SQL afresh for every request, which costs more CPU than the database spends answering them. With
250 people starting an exam in the same second that CPU is the queue (docs/exams.md, "The synchronised start").

``Prepared(model, build)`` calls ``build`` once per database with stand-in values, keeps the compiled SQL and its
compiler, and for every later call runs that SQL with the values given, through the queryset's own iterable: the
rows come back as the same model instances, tuples or values ``build(*values)`` would give. The SQL and the rows
are Django's own, so it holds on SQLite and PostgreSQL alike.

Rules for ``build`` (checked where they can be; a shape that breaks one is never kept, and every call then builds
the queryset as usual):

- its values are ints or strings (any other value, such as ``None`` or a UUID, is built as usual), each used as one
  whole SQL parameter (``pk=``, ``user_id=``, ``key=``), never
  inside a pattern (``contains``), a list (``__in``) or a Python decision (``if``): the queryset's shape must not
  depend on them;
- nothing else decides its shape either (a setting read inside ``build``): keep one ``Prepared`` per shape and
  choose between them outside, as ``services.attempts`` does with and without translations;
- the result is read whole (``rows``, ``first``): it is a list, never a queryset to filter further.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections, router
from django.db.models import Model, QuerySet

# Stand-ins: values no real row has, found again among the compiled parameters.
_INT_STAND_IN = -7_316_928_417_000_000


def _stand_ins(values: tuple) -> tuple:
    return tuple(_INT_STAND_IN - i if type(v) is int else f"\x1fprepared-{i}\x1f" for i, v in enumerate(values))


def _shallow(obj):
    """A shallow copy made without ``copy.copy``: pickling support (``__getstate__``, which ``copy`` uses) would
    evaluate a queryset."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


class _Shape:
    """One compiled query: the queryset built with stand-ins, its compiler after compiling, its SQL and parameters,
    and where each value goes in them."""

    __slots__ = ("queryset", "compiler", "sql", "params", "slots")

    def __init__(self, queryset: QuerySet, compiler, sql: str, params: tuple, slots: tuple[tuple[int, int], ...]):
        self.queryset, self.compiler, self.sql, self.params, self.slots = queryset, compiler, sql, params, slots

    def queryset_for(self, alias: str, values: tuple) -> QuerySet:
        params = list(self.params)
        for index, which in self.slots:
            params[index] = values[which]
        compiled = _shallow(self.compiler)  # this call's: its own connection and parameters
        compiled.connection = connections[alias]
        sql, params = self.sql, tuple(params)
        compiled.as_sql = lambda *args, **kwargs: (sql, params)
        query = _shallow(self.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiled
        queryset = _shallow(self.queryset)
        # ``_query``, not ``query``: the property's setter would turn a values_list() into values()
        queryset._query, queryset._result_cache, queryset._prefetch_done = query, None, False
        return queryset


class Prepared:
    """A read of ``model`` whose SQL is compiled once per process and database (see the module's docstring)."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]):
        self._model = model
        self._build = build
        self._shapes: dict[tuple, _Shape | None] = {}

    def rows(self, *values) -> list:
        """What ``list(build(*values))`` gives."""
        types = tuple(map(type, values))
        if not all(t is int or t is str for t in types):  # None, a UUID key, a bool: built as usual
            return list(self._build(*values))
        alias = router.db_for_read(self._model)
        key = (alias, types)  # an int's stand-in and a string's are not interchangeable
        try:
            shape = self._shapes[key]
        except KeyError:
            shape = self._shapes[key] = self._compile(alias, _stand_ins(values))
        if shape is None:
            return list(self._build(*values).using(alias))
        return list(shape.queryset_for(alias, values))

    def first(self, *values):
        """The first row, or None (``build`` orders and slices, as ``[:1]``)."""
        found = self.rows(*values)
        return found[0] if found else None

    def _compile(self, alias: str, stand_ins: tuple) -> _Shape | None:
        try:
            queryset = self._build(*stand_ins).using(alias)
            if queryset._prefetch_related_lookups or queryset.model is not self._model:
                return None
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
        except Exception:  # a stand-in its field refuses (a string for a number), an empty result: not kept
            return None
        slots = []
        for which, stand_in in enumerate(stand_ins):
            found = [index for index, param in enumerate(params) if type(param) is type(stand_in) and param == stand_in]
            if not found or str(stand_in) in sql:  # changed on its way, or written into the SQL itself
                return None
            slots.extend((index, which) for index in found)
        return _Shape(queryset, compiler, sql, tuple(params), tuple(slots))
