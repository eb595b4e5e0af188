"""The browsable API in a real browser: headless Chromium against the example under gunicorn.

One server (fresh SQLite database, migrated and seeded) and one browser serve the whole
module; the tests run in file order, each leaving the demo user logged in or out as it
says. Skipped when Chromium is absent; failed instead under RESTCYCLE_REQUIRE_SERVICES=1.
"""

import json
import urllib.request

import pytest

from tests._browser_harness import chromium, log_in, missing_browser, serve_example
from tests._services import skip_unless_required

# One browser and one server, in file order (a later test edits the book an earlier one made).
pytestmark = pytest.mark.sqlite_only

XSS_TITLE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
NEW_TITLE = "The Word for World Is Forest"
NEW_ISBN = "9780765324641"


@pytest.fixture(scope="module")
def site(request):
    if hasattr(request.config, "workerinput"):
        # pytest-xdist would spread the file's ordered steps over workers with a browser each.
        pytest.skip("the browser tests run in order in one browser: run them without -n")
    missing = missing_browser()
    if missing:
        skip_unless_required(f"the browser tests need Chromium: {missing}")
    with serve_example() as (base, token), chromium() as driver:
        yield base, token, driver


def wait_for(driver, condition, timeout=30):
    """Poll until `condition(driver)` holds; a page mid-navigation is polled again, not an error."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(condition)


def wait_for_text(driver, text, timeout=30):
    wait_for(driver, lambda d: text in d.find_element("tag name", "body").text, timeout)


def response_text(driver) -> str:
    return driver.find_element("css selector", ".response-info pre").text


def post_form(driver):
    return driver.find_element("css selector", "#post-object-form form")


def fill(form, name, value):
    field = form.find_element("name", name)
    field.clear()
    field.send_keys(value)


def set_value(driver, form, name, value):
    """Set an input the way a date picker would (typing into date inputs depends on locale)."""
    field = form.find_element("name", name)
    driver.execute_script("arguments[0].value = arguments[1];", field, value)


def created_book_url(base):
    with urllib.request.urlopen(f"{base}/api/books/?search={NEW_ISBN}&format=json") as response:
        results = json.load(response)["results"]
    return f"{base}/api/books/{results[0]['id']}/" if results else None


def test_login_page_logs_the_demo_user_in(site):
    base, _token, driver = site
    log_in(driver, base)
    wait_for(driver, lambda d: d.current_url == f"{base}/api/books/")
    assert driver.find_element("css selector", ".user-menu summary").text == "demo"
    assert driver.find_element("tag name", "h1").text == "Book List"


def test_books_list_shows_the_data_and_the_forms(site):
    base, _token, driver = site
    driver.get(f"{base}/api/books/")
    assert "HTTP 200 OK" in response_text(driver)
    assert '"title": "A Wizard of Earthsea"' in response_text(driver)
    assert driver.find_element("css selector", ".pagination-wrap, .toolbar") is not None
    assert post_form(driver).find_element("name", "title").is_displayed()
    # The stylesheet loaded: the navbar has its colour.
    navbar = driver.find_element("css selector", ".navbar")
    assert navbar.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"


def test_filters_dialog_searches_the_list(site):
    base, _token, driver = site
    driver.get(f"{base}/api/books/")
    driver.find_element("css selector", "[data-open-dialog=filters-dialog]").click()
    dialog = driver.find_element("id", "filters-dialog")
    wait_for(driver, lambda d: dialog.is_displayed())
    search = dialog.find_element("css selector", ".search-filter input[type=search]")
    search.send_keys("earthsea")
    dialog.find_element("css selector", ".search-filter button[type=submit]").click()
    wait_for(driver, lambda d: "search=earthsea" in d.current_url)
    assert '"count": 1' in response_text(driver)


def test_format_menu_switches_to_json(site):
    base, _token, driver = site
    driver.get(f"{base}/api/books/")
    driver.find_element("css selector", ".format-selection summary").click()
    driver.find_element("link text", "json").click()
    wait_for(driver, lambda d: "format=json" in d.current_url)
    assert '"count":' in driver.find_element("tag name", "body").text


def test_invalid_form_shows_field_errors_inline(site):
    base, _token, driver = site
    driver.get(f"{base}/api/books/")
    form = post_form(driver)
    fill(form, "isbn", "12345")
    fill(form, "price", "1.00")
    form.find_element("css selector", "button[type=submit]").click()
    wait_for_text(driver, "HTTP 400 Bad Request")
    form = post_form(driver)
    title_group = form.find_element("name", "title").find_element(
        "xpath", "ancestor::div[contains(@class, 'form-group')]"
    )
    assert "has-error" in title_group.get_attribute("class")
    assert "This field may not be blank." in title_group.text
    isbn_group = form.find_element("name", "isbn").find_element(
        "xpath", "ancestor::div[contains(@class, 'form-group')]"
    )
    assert "Enter a valid ISBN-10 or ISBN-13." in isbn_group.text
    assert form.find_element("name", "isbn").get_attribute("value") == "12345"


def test_create_a_book_through_the_html_form(site):
    from selenium.webdriver.support.ui import Select

    base, _token, driver = site
    driver.get(f"{base}/api/books/")
    form = post_form(driver)
    fill(form, "title", NEW_TITLE)
    fill(form, "isbn", NEW_ISBN)
    fill(form, "price", "11.50")
    set_value(driver, form, "published", "1976-03-01")
    Select(form.find_element("name", "author_id")).select_by_visible_text("Ursula K. Le Guin")
    form.find_element("css selector", "button[type=submit]").click()
    wait_for_text(driver, "HTTP 201 Created")
    assert f'"title": "{NEW_TITLE}"' in response_text(driver)
    assert created_book_url(base) is not None


def test_edit_the_book_with_put_and_patch(site):
    from selenium.webdriver.support.ui import Select

    base, _token, driver = site
    url = created_book_url(base)
    driver.get(url)
    form = driver.find_element("css selector", "#put-object-form form")
    assert form.find_element("name", "title").get_attribute("value") == NEW_TITLE
    fill(form, "title", NEW_TITLE + " (2nd edition)")
    # author_id is write-only: never prefilled, so a full update must choose it again.
    author = Select(form.find_element("name", "author_id"))
    assert author.first_selected_option.text == "---------"
    author.select_by_visible_text("Ursula K. Le Guin")
    form.find_element("css selector", "button[type=submit]").click()
    wait_for_text(driver, "(2nd edition)")
    assert "HTTP 200 OK" in response_text(driver)

    # The raw-data form: JSON typed by hand, sent with PATCH.
    driver.find_element("css selector", "[data-tab=put-generic-content-form]").click()
    raw = driver.find_element("css selector", "#put-generic-content-form form")
    content = raw.find_element("name", "_content")
    content.clear()
    content.send_keys('{"price": "12.25"}')
    raw.find_element("css selector", "button[data-method=PATCH]").click()
    wait_for_text(driver, '"price": "12.25"')
    assert "HTTP 200 OK" in response_text(driver)


def test_options_button_shows_the_metadata(site):
    base, _token, driver = site
    driver.get(created_book_url(base))
    driver.find_element("css selector", "form[data-method=OPTIONS] button").click()
    wait_for_text(driver, "OPTIONS ")
    assert '"name": "Book Instance"' in response_text(driver)


def test_delete_the_book_after_confirming(site):
    from selenium.webdriver.support import expected_conditions

    base, _token, driver = site
    url = created_book_url(base)
    driver.get(url)
    driver.find_element("css selector", "form[data-method=DELETE] button").click()
    wait_for(driver, expected_conditions.alert_is_present()).accept()
    wait_for_text(driver, "HTTP 204 No Content")
    assert created_book_url(base) is None


def test_hostile_title_is_shown_as_text_and_never_runs(site):
    base, token, driver = site
    body = json.dumps(
        {
            "title": XSS_TITLE,
            "isbn": "9780345391803",
            "price": "5.00",
            "published": "1990-01-01",
            "author_id": 1,
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/api/books/",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request) as response:
        book_id = json.load(response)["id"]

    driver.get(f"{base}/api/books/{book_id}/")
    assert XSS_TITLE.replace('"', '\\"') in response_text(driver)
    form = driver.find_element("css selector", "#put-object-form form")
    assert form.find_element("name", "title").get_attribute("value") == XSS_TITLE
    assert driver.execute_script("return window.__xss") is None
    assert not driver.find_elements("css selector", ".response-info img")

    driver.get(f"{base}/api/books/?search=window")
    assert driver.execute_script("return window.__xss") is None


def test_log_out_and_the_forms_disappear(site):
    base, _token, driver = site
    driver.get(f"{base}/api/books/")
    driver.find_element("css selector", ".user-menu summary").click()
    driver.find_element("css selector", "#logoutForm button").click()
    wait_for(driver, lambda d: d.find_elements("link text", "Log in"))
    driver.get(f"{base}/api/books/")
    assert driver.find_elements("link text", "Log in")
    assert not driver.find_elements("css selector", "#post-object-form")
    assert not driver.find_elements("css selector", ".request-form")
    assert "HTTP 200 OK" in response_text(driver)


def test_the_user_menu_names_the_signed_in_user_and_log_out_ends_the_session(site):
    base, _token, driver = site
    log_in(driver, base, next_path="/api/authors/")
    wait_for(driver, lambda d: d.current_url == f"{base}/api/authors/")
    menu = driver.find_element("css selector", ".navbar .user-menu")
    assert menu.find_element("tag name", "summary").text == "demo"
    log_out = menu.find_element("css selector", "#logoutForm button")
    assert not log_out.is_displayed()  # inside the closed menu
    menu.find_element("tag name", "summary").click()
    assert log_out.is_displayed() and log_out.text == "Log out"
    session_before = driver.get_cookie("sessionid")
    assert session_before is not None

    log_out.click()
    wait_for(driver, lambda d: d.find_elements("link text", "Log in"))
    assert driver.current_url == f"{base}/api/authors/"  # back where the user was
    assert not driver.find_elements("css selector", ".user-menu")
    session_after = driver.get_cookie("sessionid")
    assert session_after is None or session_after["value"] != session_before["value"]
