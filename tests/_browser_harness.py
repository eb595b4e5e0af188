"""The bookstore example under gunicorn, and a headless Chromium to drive it.

Used by tests/test_browser.py and by `scripts/screenshot` (which runs this module:
`python -m tests._browser_harness docs/browsable-api.png`). Never downloads a browser:
it uses Debian's /usr/bin/chromium and /usr/bin/chromedriver, or says they are missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests._example_server import ROOT, SRC, free_port, migrate_and_seed, serving

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
]

# gunicorn serves no static files: wrap the example so the page gets its CSS and JS.
_WSGI_MODULE = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookstore.settings")
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application
application = StaticFilesHandler(get_wsgi_application())
"""


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    return None


@contextlib.contextmanager
def serve_example() -> Iterator[tuple[str, str]]:
    """A fresh SQLite database, migrated and seeded, behind gunicorn; yields (base URL, token)."""
    workdir = Path(tempfile.mkdtemp(prefix="restcycle-browser-"))
    (workdir / "browser_wsgi.py").write_text(_WSGI_MODULE)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'bookstore.sqlite3'}",
            "DEBUG": "0",
            "PYTHONPATH": os.pathsep.join([str(SRC), str(workdir)]),
            "DJANGO_SETTINGS_MODULE": "bookstore.settings",
        }
    )
    try:
        token = migrate_and_seed(env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            with urllib.request.urlopen(base + "/api/", timeout=5) as response:
                return response.status == 200

        gunicorn = ["gunicorn", "browser_wsgi:application", "--workers", "1", "--threads", "4"]
        gunicorn += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        with serving(gunicorn, env, answers):
            yield base, token
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless Chromium WebDriver with a new, empty profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="restcycle-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def log_in(driver, base: str, next_path: str = "/api/books/") -> None:
    """Log in as the demo user through the browsable API's login page."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/api-auth/login/?next={next_path}")
    driver.find_element(By.NAME, "username").send_keys("demo")
    driver.find_element(By.NAME, "password").send_keys("demo-password")
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()


def screenshot(path: str) -> None:
    """Save the books list page (logged in, searched down to one book) as a PNG at `path`.

    The search keeps the page short enough to show the POST form below the data.
    """
    missing = missing_browser()
    if missing:
        raise SystemExit(f"cannot take the screenshot: {missing}")
    with serve_example() as (base, _token), chromium() as driver:
        log_in(driver, base)
        driver.get(f"{base}/api/books/?search=earthsea")
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(height + 140, 2400))
        driver.save_screenshot(path)
    print(f"wrote {path}")


if __name__ == "__main__":
    screenshot(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "docs" / "browsable-api.png"))
