"""Imports point one way, in the order docs/architecture.md draws: the shared modules of
mjadmin/, then the platform apps (audit, team, keys), then the vendor rooms, then the two
features; never up, never between the features, never between two vendors' folders, and nothing
the product runs imports the test suite, serves HTTP or makes up data."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ("accounts", "tasks")
# The project's glue puts everything together: settings read each vendor's settings, the URLconf
# names every app's URLs. Only these may look up the order.
GLUE = {"mjadmin.settings", "mjadmin.urls", "mjadmin.wsgi", "mjadmin.apps"}
# The one door left open, written down in docs/architecture.md: the Accounts feature's useapi.net
# pages (holds, maxJobs, Discord tokens) read useapi.net's own records and errors.
ALLOWED_VENDOR_DOORS = {("accounts", "mjadmin.vendors.useapi")}


def layer(module: str) -> int:
    """0 the shared modules of mjadmin/, 1 audit, 2 team, 3 keys (and problems, which says what
    a key's or a vendor's error means), 4 the vendors, 5 the features."""
    if module.split(".")[0] in FEATURES:
        return 5
    for prefix, rank in (
        ("mjadmin.vendors", 4),
        ("mjadmin.keys", 3),
        ("mjadmin.problems", 3),
        ("mjadmin.team", 2),
        ("mjadmin.audit", 1),
    ):
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return 0


def module_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def product_modules() -> list[Path]:
    return sorted(
        p
        for package in ("mjadmin", *FEATURES)
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts
    )


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # "from mjadmin.vendors import registry" imports the module registry.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def ours(names: set[str]) -> set[str]:
    return {n for n in names if n.split(".")[0] in ("mjadmin", *FEATURES, "tests")}


def vendor_folder(module: str) -> str | None:
    """The vendor's folder a module (or a name imported from it) is in, if any."""
    parts = module.split(".")
    if parts[:2] != ["mjadmin", "vendors"] or len(parts) < 3:
        return None
    folder = ROOT / "mjadmin" / "vendors" / parts[2]
    return ".".join(parts[:3]) if folder.is_dir() else None


PRODUCT = product_modules()
IDS = [str(p.relative_to(ROOT)) for p in PRODUCT]


def test_the_checker_sees_imports():
    assert "mjadmin.vendors.registry" in imported(ROOT / "tasks" / "views.py")
    assert layer("tasks.views") > layer("mjadmin.vendors.registry") > layer("mjadmin.keys.kinds")
    assert vendor_folder("mjadmin.vendors.legnext.client") == "mjadmin.vendors.legnext"


@pytest.mark.parametrize("path", PRODUCT, ids=IDS)
def test_nothing_imports_up_the_order(path):
    importer = module_of(path)
    if importer in GLUE:
        return
    upward = {
        name
        for name in ours(imported(path))
        if name.split(".")[0] != "tests"
        and layer(name) > layer(importer)
        and not (vendor_folder(name) and importer.startswith("mjadmin.vendors"))
    }
    assert upward == set()


@pytest.mark.parametrize("path", PRODUCT, ids=IDS)
def test_no_product_module_imports_the_tests_serves_http_or_makes_up_data(path):
    names = imported(path)
    assert {n for n in names if n.split(".")[0] == "tests"} == set()
    assert names & {"http.server", "socketserver", "random"} == set()


@pytest.mark.parametrize(
    ("feature", "other"), [("accounts", "tasks"), ("tasks", "accounts")], ids=FEATURES
)
def test_a_feature_imports_not_the_other(feature, other):
    for path in (p for p in PRODUCT if module_of(p).split(".")[0] == feature):
        assert {n for n in imported(path) if n.split(".")[0] == other} == set(), path


@pytest.mark.parametrize("path", PRODUCT, ids=IDS)
def test_a_vendors_folder_is_reached_only_through_the_registry(path):
    """Outside a vendor's own folder, only the registry opens it (and the one door written
    down); a vendor's folder never opens another's."""
    importer = module_of(path)
    own = vendor_folder(importer)
    if importer in GLUE or importer == "mjadmin.vendors.registry":
        return
    opened = {vendor_folder(n) for n in imported(path)} - {None, own}
    doors = {door for feature, door in ALLOWED_VENDOR_DOORS if importer.startswith(feature)}
    assert opened - doors == set()


def test_every_vendor_has_a_folder_and_a_registry_line():
    from mjadmin.vendors import registry

    folders = {p.parent.name for p in (ROOT / "mjadmin" / "vendors").glob("*/vendor.py")}
    assert folders == {v.slug for v in registry.VENDORS}
    assert folders == {"useapi", "apiframe", "legnext", "midjourney_proxy"}
