"""Settings every test process needs before anything imports xlwings; the shared LibreOffice conversion."""

import gc
import os
import sys

# pytest rewrites the asserts of every test module it imports, seconds of work in each test process,
# and keeps the result only where Python may write bytecode; an environment that says it may not
# (PYTHONDONTWRITEBYTECODE) would pay those seconds on every run. Test processes may.
sys.dont_write_bytecode = False

# xlwings' remote engine (the live path's tests) needs a key; this one is for non-commercial and
# government use. Set here, first, so the order tests run in does not matter.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402  (after the key, which must come first)

import rendering  # noqa: E402
from processes import Commands  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", f"{rendering.MARK}(build): the test looks at LibreOffice's rendering of "
                                       "the workbooks build(folder) makes (tests/rendering.py)")


def pytest_collection_finish(session):
    """What every test process holds once the tests are collected (pandas, numpy, hypothesis, openpyxl
    and the tests' own modules) lives until the process ends, so the collector stops walking it: each
    full collection walked it again, about a twentieth of the suite's processor time."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items):
    """The rendering tests run last: LibreOffice, set going as the run starts, has converted their
    workbooks by then, while the other tests ran."""
    items.sort(key=lambda item: item.get_closest_marker(rendering.MARK) is not None)


@pytest.fixture(scope="session", autouse=True)
def libreoffice_batch(request, tmp_path_factory) -> rendering.Batch:
    """Every rendering test's workbooks, converted in one soffice call for the whole run."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # test processes of one run share its base folder's parent
        base = base.parent
    batch = rendering.Batch(rendering.builds_of(request.session.items), base / "libreoffice")
    batch.start()
    yield batch
    batch.end(cut_short=bool(request.session.shouldstop or request.session.shouldfail))


@pytest.fixture
def rendered(request, libreoffice_batch) -> rendering.Rendering:
    """This test's workbooks and their PDFs, from the shared conversion."""
    marker = request.node.get_closest_marker(rendering.MARK)
    assert marker is not None, f"{request.node.name} asks for a rendering but does not say what it renders"
    result = libreoffice_batch.results()[rendering.key(marker.args[0])]
    if result.build_error:
        pytest.fail(f"building the workbooks to render failed:\n{result.build_error}", pytrace=False)
    return result


@pytest.fixture(scope="session")
def commands(tmp_path_factory):
    """Whole `scorecard` processes, forked from one interpreter prepared once per test process."""
    with Commands(tmp_path_factory.mktemp("processes")) as server:
        yield server
