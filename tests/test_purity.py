"""The layers hold: the pure packages import no I/O library, not even indirectly, and no import
runs back up a layer.

The imports are read with `ast`, not by importing, so an import hidden inside a function or
behind `TYPE_CHECKING` counts too; bot.* modules are followed to the end.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
FORBIDDEN = {"telegram", "aiosqlite", "yaml", "asyncio", "httpx", "sqlite3"}
# Every module in these packages is pure: no I/O library, no event loop.
PURE_PACKAGES = ("core", "content", "notices")
# The pure modules of packages that also hold an edge (bot.images: the worker process is I/O).
PURE_MODULES = (
    "bot.images.model",
    "bot.images.layout",
    "bot.images.formats",
    "bot.images.protocol",
)
# Each layer (a package of bot/) and the layers it may import besides itself. Channels reach the
# store only through the assistant; the core, the content and the notice reader do no I/O.
LAYERS: dict[str, frozenset[str]] = {
    "content": frozenset(),
    "notices": frozenset({"content"}),
    "images": frozenset(),
    "core": frozenset({"content", "notices"}),
    "storage": frozenset({"core"}),
    "assistant": frozenset({"core", "content", "notices", "storage", "images"}),
    "channels": frozenset({"assistant", "core"}),
    "cli": frozenset({"assistant", "channels", "core", "content", "notices", "storage", "images"}),
}


def modules_in(package: str) -> list[str]:
    """Every module of bot/<package>, as dotted names."""
    names = []
    for path in sorted((BOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def module_file(name: str) -> Path | None:
    """The file of a bot.* module or package, or None when there is no such module."""
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def is_package(name: str) -> bool:
    return (ROOT.joinpath(*name.split(".")) / "__init__.py").is_file()


def imports_of(name: str, path: Path) -> set[str]:
    """Every module `path` imports, anywhere in it, as absolute dotted names."""
    found: set[str] = set()
    package = name if is_package(name) else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, node.module] if node.module else parts)
            else:
                base = node.module or ""
            found.add(base)
            if base.split(".")[0] == "bot":
                # `from bot.content import model` imports the submodule bot.content.model.
                found.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def forbidden_chains(start: str) -> list[str]:
    """Each way `start` reaches a forbidden module, as 'a -> b -> yaml'."""
    chains: list[str] = []
    seen: set[str] = set()
    todo: list[tuple[str, tuple[str, ...]]] = [(start, (start,))]
    while todo:
        name, path = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        file = module_file(name)
        if file is None:
            continue
        for imported in sorted(imports_of(name, file)):
            top = imported.split(".")[0]
            if top in FORBIDDEN:
                chains.append(" -> ".join([*path, imported]))
            elif top == "bot":
                # Importing bot.a.b runs bot/__init__ and bot/a/__init__ first.
                parts = imported.split(".")
                for i in range(1, len(parts) + 1):
                    todo.append((".".join(parts[:i]), (*path, ".".join(parts[:i]))))
    return chains


@pytest.mark.parametrize(
    "module", [*(m for p in PURE_PACKAGES for m in modules_in(p)), *PURE_MODULES]
)
def test_pure_module_imports_no_io_library_directly_or_through_bot_modules(module: str) -> None:
    assert forbidden_chains(module) == []


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "bot" else None


def back_up_imports() -> set[tuple[str, str]]:
    """(importer, imported) for every import of a bot module from a layer not allowed to."""
    found = set()
    for layer, allowed in LAYERS.items():
        for module in modules_in(layer):
            file = module_file(module)
            assert file is not None
            for imported in imports_of(module, file):
                target = layer_of(imported)
                if target is not None and target != layer and target not in allowed:
                    found.add((module, nearest_module(imported)))
    return found


def nearest_module(name: str) -> str:
    """`name` (bot.a.b.Thing) cut back to the module it names or comes from (bot.a.b)."""
    while module_file(name) is None and "." in name:
        name = name.rpartition(".")[0]
    return name


def test_every_module_of_bot_belongs_to_a_layer() -> None:
    loose = sorted(
        p.relative_to(ROOT).as_posix()
        for p in BOT.iterdir()
        if (p.suffix == ".py" and p.name != "__init__.py")
        or (p.is_dir() and (p / "__init__.py").is_file() and p.name not in LAYERS)
    )
    assert loose == [], "put each module in one of the layers: " + ", ".join(LAYERS)


def test_no_import_runs_back_up_a_layer() -> None:
    assert back_up_imports() == set(), "import only from the layers listed in LAYERS"


# --- the checker itself -------------------------------------------------------------------------


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "BOT", tmp_path / "bot")
    (tmp_path / "bot" / "sub").mkdir(parents=True)
    (tmp_path / "bot" / "__init__.py").write_text("")
    (tmp_path / "bot" / "sub" / "__init__.py").write_text("")
    return tmp_path / "bot"


def test_the_checker_sees_an_import_hidden_in_a_function(fake_package: Path) -> None:
    (fake_package / "core.py").write_text("def f():\n    import yaml\n    return yaml\n")
    assert forbidden_chains("bot.core") == ["bot.core -> yaml"]


def test_the_checker_follows_bot_modules_to_a_forbidden_import(fake_package: Path) -> None:
    (fake_package / "core.py").write_text("from bot.sub import helper\n")
    (fake_package / "sub" / "helper.py").write_text("from . import deeper\n")
    (fake_package / "sub" / "deeper.py").write_text("from telegram.ext import Application\n")
    assert forbidden_chains("bot.core") == [
        "bot.core -> bot.sub.helper -> bot.sub.deeper -> telegram.ext"
    ]


def test_the_checker_sees_a_forbidden_import_in_a_package_init(fake_package: Path) -> None:
    (fake_package / "core.py").write_text("import bot.sub\n")
    (fake_package / "sub" / "__init__.py").write_text("import asyncio\n")
    assert forbidden_chains("bot.core") == ["bot.core -> bot.sub -> asyncio"]


def test_the_checker_sees_import_module_with_a_constant_name(fake_package: Path) -> None:
    (fake_package / "core.py").write_text("import importlib\nimportlib.import_module('sqlite3')\n")
    assert forbidden_chains("bot.core") == ["bot.core -> sqlite3"]


def test_the_checker_lets_the_standard_library_through(fake_package: Path) -> None:
    (fake_package / "core.py").write_text("import re, json\nfrom datetime import date\n")
    assert forbidden_chains("bot.core") == []


def test_the_layer_check_sees_an_import_that_runs_back_up(fake_package: Path) -> None:
    for layer in ("core", "channels", "storage"):
        (fake_package / layer).mkdir()
        (fake_package / layer / "__init__.py").write_text("")
    (fake_package / "core" / "turn.py").write_text("from bot.channels import telegram\n")
    (fake_package / "channels" / "telegram.py").write_text("from bot.storage.sqlite import S\n")
    (fake_package / "storage" / "sqlite.py").write_text("from bot.core.turn import x\n")
    assert back_up_imports() == {
        ("bot.core.turn", "bot.channels"),
        ("bot.core.turn", "bot.channels.telegram"),
        ("bot.channels.telegram", "bot.storage.sqlite"),
    }
