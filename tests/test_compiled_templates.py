"""Compiled templates kept in the package: used when fresh, never trusted when stale or damaged."""

import os
import subprocess
import sys

import jinja2
import pytest

from course.render import compiled
from course.render.compiled import PackageBytecodeCache, compile_all


def _env(tmp_path, cache):
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    return jinja2.Environment(loader=jinja2.FileSystemLoader(templates), bytecode_cache=cache, autoescape=True)


def _entries(folder):
    return sorted(p.name for p in folder.glob("__jinja2_*.cache")) if folder.exists() else []


def test_a_compiled_entry_is_written_then_used(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("<p>{{ x }}</p>")
    cache_dir = tmp_path / "compiled"
    assert _env(tmp_path, PackageBytecodeCache(cache_dir, write=True)).get_template("t.html").render(x="<a>") \
        == "<p>&lt;a&gt;</p>"
    assert len(_entries(cache_dir)) == 1
    fresh = _env(tmp_path, PackageBytecodeCache(cache_dir, write=True))

    def never(*args, **kwargs):
        raise AssertionError("compiled again although a fresh entry was there")

    fresh.compile = never
    assert fresh.get_template("t.html").render(x="y") == "<p>y</p>"


def test_an_edited_template_is_compiled_afresh_not_served_stale(tmp_path):
    source = tmp_path / "templates" / "t.html"
    source.parent.mkdir()
    source.write_text("old {{ x }}")
    cache_dir = tmp_path / "compiled"
    _env(tmp_path, PackageBytecodeCache(cache_dir, write=True)).get_template("t.html")
    source.write_text("new {{ x }}")
    assert _env(tmp_path, PackageBytecodeCache(cache_dir, write=False)).get_template("t.html").render(x=1) == "new 1"


def test_a_damaged_entry_is_ignored(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("ok {{ x }}")
    cache_dir = tmp_path / "compiled"
    _env(tmp_path, PackageBytecodeCache(cache_dir, write=True)).get_template("t.html")
    (entry,) = cache_dir.glob("__jinja2_*.cache")
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])  # cut off mid-way through the marshalled code
    assert _env(tmp_path, PackageBytecodeCache(cache_dir, write=False)).get_template("t.html").render(x=2) == "ok 2"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write a read-only folder")
def test_a_read_only_install_renders_and_writes_nothing(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("ok")
    cache_dir = tmp_path / "compiled"
    cache_dir.mkdir()
    cache_dir.chmod(0o555)
    try:
        assert _env(tmp_path, PackageBytecodeCache(cache_dir, write=True)).get_template("t.html").render() == "ok"
    finally:
        cache_dir.chmod(0o755)
    assert _entries(cache_dir) == []


def test_a_folder_that_cannot_be_created_is_no_error(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("ok")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cache = PackageBytecodeCache(blocker / "compiled", write=True)  # its parent is a file: mkdir fails
    assert _env(tmp_path, cache).get_template("t.html").render() == "ok"


def test_writing_follows_python_own_bytecode_setting(monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert PackageBytecodeCache().write is False
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert PackageBytecodeCache().write is True


def test_compile_all_writes_one_entry_per_template_and_pages_are_unchanged(tmp_path):
    from course.render.templates import environment

    env = environment()
    count = compile_all(env, tmp_path)
    assert count == len(env.list_templates()) == len(_entries(tmp_path))
    cached = env.overlay(bytecode_cache=PackageBytecodeCache(tmp_path, write=False), cache_size=0)
    plain = env.overlay(bytecode_cache=None, cache_size=0)
    for macro, args in (("status", ("Saved <now>",)), ("confirm_question", ())):
        assert (str(getattr(cached.get_template("items/macros.html").module, macro)(*args))
                == str(getattr(plain.get_template("items/macros.html").module, macro)(*args)))


def test_the_command_compiles_into_the_package(tmp_path):
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, "-m", "course", "compile-templates"], capture_output=True,
                            text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "templates compiled into course/render/compiled/" in result.stdout
    assert _entries(compiled.CACHE_DIR)


def test_entries_are_as_readable_as_the_package_code(tmp_path):
    """On a hub the administrator compiles; every learner's kernel must be able to read the result."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("ok")
    _env(tmp_path, PackageBytecodeCache(tmp_path / "compiled", write=True)).get_template("t.html")
    (entry,) = (tmp_path / "compiled").glob("__jinja2_*.cache")
    assert entry.stat().st_mode & 0o777 == os.stat(compiled.__file__).st_mode & 0o666
    assert entry.stat().st_mode & 0o044, "others cannot read the compiled template"
