"""Query-string edits used by pagination links and format links."""

from restcycle.utils.urls import remove_query_param, replace_query_param


def test_replace_sets_one_value_and_sorts_parameters():
    url = "http://x/items/?page=1&q=a&page=3"
    assert replace_query_param(url, "page", 2) == "http://x/items/?page=2&q=a"
    assert replace_query_param("/items/#top", "b", "1") == "/items/?b=1#top"


def test_remove_drops_every_value():
    assert remove_query_param("/items/?page=1&q=a&page=2", "page") == "/items/?q=a"
    assert remove_query_param("/items/", "page") == "/items/"


def test_encoded_unicode_survives_and_garbage_does_not_crash():
    assert "q=%E6%9F%A5" in replace_query_param("/?q=%E6%9F%A5", "page", 2)
    assert "from=login" in replace_query_param("/?%FF%FE=1", "from", "login")
    assert remove_query_param("/?page=2&q=%E6%9F%A5", "q") == "/?page=2"
