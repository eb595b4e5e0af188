"""Reading HTML form input (QueryDict / MultiValueDict) as lists and dicts.

Form posts flatten nested data into keys like `items[0]`, `items[1]name` or
`meta.colour`; these helpers rebuild the structure a JSON body would have.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.datastructures import MultiValueDict


def is_html_input(dictionary: Any) -> bool:
    """Form input (QueryDict, MultiValueDict) has `getlist`; parsed JSON never does."""
    return hasattr(dictionary, "getlist")


def parse_html_list(dictionary: Any, prefix: str = "", default: Any = None) -> Any:
    """Collect `prefix[N]` (and `prefix[N]key`) entries into a list ordered by N.

    A bare `prefix[N]` gives the value itself; `prefix[N]key` entries gather into a
    MultiValueDict per index. Returns `default` when no key matches.
    """
    pattern = re.compile(re.escape(prefix) + r"\[([0-9]+)\](.*)$")
    by_index: dict[int, Any] = {}
    for key, value in dictionary.items():
        match = pattern.match(key)
        if match is None:
            continue
        index = int(match.group(1))
        subkey = match.group(2)
        if not subkey:
            by_index[index] = value
        elif isinstance(by_index.get(index), dict):
            by_index[index][subkey] = value
        else:
            by_index[index] = MultiValueDict({subkey: [value]})
    if not by_index:
        return default
    return [by_index[index] for index in sorted(by_index)]


def parse_html_dict(dictionary: Any, prefix: str = "") -> MultiValueDict:
    """Collect `prefix.key` entries into a MultiValueDict keyed by `key` (all values kept).

    With no prefix, every key is taken as it is.
    """
    pattern = re.compile(re.escape(prefix) + r"\.(.+)$" if prefix else r"(.+)$", re.DOTALL)
    result = MultiValueDict()
    for key in dictionary:
        match = pattern.match(key)
        if match is not None:
            result.setlist(match.group(1), dictionary.getlist(key))
    return result
