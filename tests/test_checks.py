"""System checks run by `manage.py check`: the warnings an operator sees, and when they don't."""

import io

from django.core.management import call_command
from django.test import override_settings


def check_output(**settings) -> str:
    out, err = io.StringIO(), io.StringIO()
    with override_settings(**settings):
        call_command("check", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_page_size_without_a_pagination_class_warns_w001():
    output = check_output(REST_FRAMEWORK={"PAGE_SIZE": 10})
    assert "rest_framework.W001" in output


def test_proxy_ssl_header_without_num_proxies_warns_that_forwarded_for_is_forgeable():
    output = check_output(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    assert "restcycle.W001" in output
    assert "SECURE_PROXY_SSL_HEADER is set, so this project runs behind a reverse proxy" in output
    assert "Set NUM_PROXIES to the number of proxies" in output


def test_forwarded_host_or_port_without_num_proxies_warns_too():
    assert "restcycle.W001" in check_output(USE_X_FORWARDED_HOST=True)
    output = check_output(USE_X_FORWARDED_HOST=True, USE_X_FORWARDED_PORT=True)
    assert "USE_X_FORWARDED_HOST and USE_X_FORWARDED_PORT are set" in output


def test_num_proxies_set_behind_a_proxy_passes_the_check():
    for num_proxies in (0, 1, 2):
        output = check_output(
            SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
            USE_X_FORWARDED_HOST=True,
            REST_FRAMEWORK={"NUM_PROXIES": num_proxies},
        )
        assert "restcycle.W001" not in output


def test_no_proxy_settings_means_no_forwarded_for_warning():
    assert "restcycle.W001" not in check_output()


def test_the_forwarded_for_warning_can_be_silenced():
    output = check_output(USE_X_FORWARDED_HOST=True, SILENCED_SYSTEM_CHECKS=["restcycle.W001"])
    assert "restcycle.W001" not in output
