"""The package as a user installs it: a wheel built from the checkout, installed non-editably into a fresh venv.

The fresh venv borrows the test environment's third-party packages through a ``.pth`` line (so
the test needs no network and takes seconds), but its ``quotes`` is the wheel's alone: the
checkout is never on its path, and it runs from an empty directory with its own data directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("*.py", "*.toml", "*.json", "*.yml", "*.j2", "*.css", "*.js", "py.typed")


def _run(*cmd: str | Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the checkout (so the build leaves nothing behind in it)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "*.sqlite*", "reports", "build", "*.egg-info", ".pytest_cache"))
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", source,
                 "-w", tmp / "dist")
    assert built.returncode == 0, built.stderr
    return next((tmp / "dist").glob("quotes-*.whl"))


@pytest.fixture(scope="session")
def installed(wheel, tmp_path_factory) -> dict:
    """A fresh venv with the wheel installed (not editable), an empty working directory and data directory."""
    tmp = tmp_path_factory.mktemp("installed")
    venv = tmp / "venv"
    assert _run(sys.executable, "-m", "venv", venv).returncode == 0
    site = Path(_run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                .stdout.strip())
    (site / "borrowed_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    done = _run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel)
    assert done.returncode == 0, done.stderr
    work, data = tmp / "empty", tmp / "data"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"QUOTES_DB", "QUOTES_ALIASES", "PYTHONPATH"}}
    env.update(XDG_DATA_HOME=str(data), HOME=str(tmp))
    return {"bin": venv / "bin", "cwd": work, "env": env, "data": data}


def _quotes(installed: dict, *args: str | Path) -> subprocess.CompletedProcess:
    return _run(installed["bin"] / "quotes", *args, cwd=installed["cwd"], env=installed["env"])


def test_the_wheel_ships_every_module_template_lexicon_and_migration(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"quotes/{p.relative_to(ROOT / 'quotes')}" for pattern in SHIPPED
                for p in (ROOT / "quotes").rglob(pattern) if "__pycache__" not in p.parts}
    expected |= {f"quotes/migrations/{p.relative_to(ROOT / 'db' / 'migrations')}"
                 for pattern in ("*.py", "*.mako") for p in (ROOT / "db" / "migrations").rglob(pattern)
                 if "__pycache__" not in p.parts}
    assert expected - names == set()


def test_the_installed_package_is_not_the_checkout(installed):
    where = _run(installed["bin"] / "python", "-c", "import quotes; print(quotes.__file__)",
                 cwd=installed["cwd"], env=installed["env"]).stdout
    assert str(ROOT) not in where and "site-packages" in where


def test_the_installed_command_ingests_the_seeds_and_finds_kirbys_five_quotes(installed):
    assert _quotes(installed, "--version").stdout.startswith("quotes, version ")
    ingest = _quotes(installed, "ingest", ROOT / "seeds")
    assert ingest.returncode == 0, ingest.stderr
    found = _quotes(installed, "search", "--speaker", "kirby", "--format", "json")
    assert found.returncode == 0, found.stderr
    quotes = json.loads(found.stdout)
    assert len(quotes) == 5 and {q["speaker"] for q in quotes} == {"John Kirby"}
    assert (installed["data"] / "quotes" / "quotes.sqlite").is_file()
    assert list(installed["cwd"].iterdir()) == []  # nothing written where it ran


def test_the_installed_report_renders_from_its_packaged_templates(installed):
    _quotes(installed, "ingest", ROOT / "seeds")
    done = _quotes(installed, "report", "--format", "md", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert "John Kirby" in done.stdout


def test_the_installed_browse_serves_its_packaged_canned_queries(installed):
    _quotes(installed, "ingest", ROOT / "seeds")
    done = _quotes(installed, "browse", "--", "--get", "/quotes.json")
    assert done.returncode == 0, done.stderr
    assert "quotes_by_speaker" in {query["name"] for query in json.loads(done.stdout)["queries"]}
