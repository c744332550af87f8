"""`make run` on a machine whose demo database predates the split of lms into apps sets it aside and builds a new
one, instead of failing in `migrate` (tools/demo_db_outdated.py)."""

import sqlite3

from tools import demo_db_outdated


def database(path, *migrations):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
        db.executemany("INSERT INTO django_migrations VALUES (?, ?)", migrations)
    return path


def test_a_database_of_the_single_lms_app_is_set_aside_not_deleted(tmp_path, capsys):
    old = database(tmp_path / "db.sqlite3", ("lms", "0001_people_and_induction_programs"))
    demo_db_outdated.main(str(old))
    assert not old.exists()
    assert (tmp_path / "db.sqlite3.before-apps-split").exists()
    assert "set aside" in capsys.readouterr().out


def test_a_current_or_missing_database_is_left_alone(tmp_path, capsys):
    current = database(tmp_path / "db.sqlite3", ("lms", "0001_create_role_groups"))
    demo_db_outdated.main(str(current))
    demo_db_outdated.main(str(tmp_path / "none.sqlite3"))
    assert current.exists() and not (tmp_path / "none.sqlite3").exists()
    assert capsys.readouterr().out == ""
