"""The package's shape, as ARCHITECTURE.md describes it: layers by role, one-way imports, small modules.

Every `import` and `from ... import` statement in `course/` counts, wherever it stands (top of a module
or inside a function), because an import hidden in a function still makes the dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "course"

# The layers, lowest first. A module may import its own layer and the layers listed for it.
SHARED = {"course", "course.version", "course.paths", "course.problems", "course.atomic", "course.cache"}
LAYERS = {
    "shared": set(),
    "material": {"shared"},
    "render": {"shared", "material"},
    "learner": {"shared", "material", "render"},
    "tools": {"shared", "material", "render", "learner"},
    "instructor": {"shared", "material", "render", "learner", "tools"},
    "build": {"shared", "material", "render", "learner", "tools", "instructor"},
    "cli": {"shared", "material", "render", "learner", "tools", "instructor", "build"},
}
TOP_LEVEL = {"__init__.py", "__main__.py", "cli.py", "version.py", "paths.py", "problems.py", "atomic.py",
             "cache.py"}
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every course module this file imports, by any import statement anywhere in it."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            # `from course.x import y`: y may be a module or a name inside course.x.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target.startswith("course"):
                found.add(target)
    found.discard(name)
    return found


def layer_of(module: str) -> str:
    if module in SHARED or module == "course.__main__":
        return "shared" if module != "course.__main__" else "cli"
    if module == "course.cli":
        return "cli"
    return module.split(".")[1]


GRAPH = {name: imports_of(path, set(modules())) for name, path in modules().items()}


def test_no_import_circles():
    """Depth-first search for a cycle; the message names the whole loop."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                loop = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import circle: " + " -> ".join(loop))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)


def test_the_package_face_imports_nothing_but_the_version():
    """`import course` stays cheap: the face loads its parts by name, only when first used."""
    assert GRAPH["course"] <= {"course.version"}


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m != "course"))
def test_imports_only_flow_down_the_layers(module):
    layer = layer_of(module)
    allowed = LAYERS[layer] | {layer}
    wrong = sorted(t for t in GRAPH[module] if layer_of(t) not in allowed)
    assert not wrong, f"{module} ({layer}) may import only {sorted(allowed)}; it imports {wrong}"


def test_no_module_is_over_500_lines():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_the_top_level_holds_only_the_face_the_cli_and_shared_helpers():
    files = {p.name for p in PACKAGE.glob("*.py")}
    assert files <= TOP_LEVEL, f"move {sorted(files - TOP_LEVEL)} into the subpackage of its role"


@pytest.mark.parametrize("package", sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")))
def test_each_subpackage_says_what_it_is_for_and_what_it_may_import(package):
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "May import" in doc, f"course/{package}/__init__.py needs a docstring with 'May import:'"


HTML_TAG = re.compile(r"(?<!\?P)</?(html|head|body|div|p|span|section|table|tr|td|th|ul|ol|li|h[1-6]|strong|em|"
                      r"details|summary|cite|figure|img|a|style|meta|title|mark|nav|main|header|footer|br)\b[^<>]*>",
                      re.IGNORECASE)


# Strings that hold tags without building HTML: patterns that read other tools' HTML.
READS_HTML = {"course.instructor.quizimport": "jupyterquiz banks carry HTML; the importer turns it into text"}


def string_built_html():
    """(module, line, text) for each string literal in Python that holds an HTML tag."""
    found = []
    for name, path in modules().items():
        if name in READS_HTML:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if HTML_TAG.search(node.value):
                    found.append((name, node.lineno, node.value[:60]))
    return found


def test_no_html_is_built_from_strings_in_python():
    """HTML comes from the Jinja2 templates in course/render/templates/, with autoescaping on."""
    found = string_built_html()
    assert not found, "HTML built in Python (use a template):\n" + "\n".join(
        f"  {m}:{line}: {text!r}" for m, line, text in found)
