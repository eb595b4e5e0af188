"""The text form of an explain report: stage by stage, your code marked with `*`.

It reads only the report's data (see `_explain.explain`), so the text and `--format json`
always say the same thing. Every line fits in WIDTH columns (long lists wrap; anything
else too long breaks onto an indented line), and a serializer's field table is left out
on a path that never builds the serializer (a DELETE, a 405).
"""

from __future__ import annotations

import textwrap
from typing import Any

WIDTH = 100

_SOURCE_WORDS = {
    "default": "default",
    "REST_FRAMEWORK": "REST_FRAMEWORK",
}
_COMPONENT_LABELS = {
    "parsers": "parsers",
    "negotiation": "negotiation",
    "renderers": "renderers",
    "versioning": "versioning",
    "authenticators": "authenticators",
    "permissions": "permissions",
    "throttles": "throttles",
    "metadata": "metadata (OPTIONS)",
    "filter_backends": "filter backends",
    "pagination": "pagination",
    "exception_handler": "exception handler",
}


def render_text(report: dict[str, Any]) -> str:
    """The whole report as lines of text, ending with a newline."""
    lines: list[str] = []
    request, url, view = report["request"], report["url"], report["view"]
    lines.append(f"{request['method']} {url['path']}")
    lines.append(f"  url      {_url_line(url)}")
    lines.append(f"  view     {_view_line(view)}")
    if report.get("handler") is None:
        lines.extend(f"  note     {note}" for note in report["notes"])
        return _fitted(lines)
    handler = report["handler"]
    lines.append(f"  handler  {_handler_line(handler)}")
    lines.append(f"  allowed  {', '.join(handler['allowed_methods']) or '-'}")
    lines.append("")
    lines.append("  * = your code replaces the framework's default;  + = a third-party package's")
    for stage in report["stages"]:
        lines.append("")
        lines.extend(_stage_lines(stage, report))
    if report["notes"]:
        lines.append("")
        lines.extend(f"note: {note}" for note in report["notes"])
    return _fitted(lines)


def _fitted(lines: list[str]) -> str:
    """The lines joined, each too-long one broken (see `_fit`), ending with a newline."""
    return "".join(piece + "\n" for line in lines for piece in _fit(line))


def _fit(line: str, width: int = WIDTH) -> list[str]:
    """`line` as lines of at most `width` columns, broken between parts ("  "), list items
    (", ") or words where it can be (a hard break otherwise), continued under its label:
    past the first run of two spaces after the indent, or four past the indent."""
    if len(line) <= width:
        return [line]
    indent = len(line) - len(line.lstrip(" "))
    gap = line.find("  ", indent)
    column = gap + 2 if 0 < gap < width // 2 else indent + 4
    while column < len(line) and line[column] == " ":
        column += 1
    if column > width // 2:
        column = indent + 4
    pieces, rest, prefix = [], line, ""
    while len(prefix) + len(rest) > width:
        room = width - len(prefix)
        start = len(rest) - len(rest.lstrip(" ")) + 1  # never break inside the indent
        # Prefer the widest separator: between parts ("  "), then list items, then words.
        for separator in ("  ", ", ", " "):
            cut = rest.rfind(separator, start, room + 1 - len(separator.rstrip()))
            if cut > start + (room - start) // 3 or (separator == " " and cut > start):
                cut += len(separator)
                break
        else:
            cut = room
        pieces.append((prefix + rest[:cut]).rstrip())
        rest, prefix = rest[cut:].lstrip(" "), " " * column
    pieces.append(prefix + rest)
    return pieces


def _url_line(url: dict) -> str:
    parts = [url["path"]]
    if url["name"]:
        name = ":".join([*url["namespaces"], url["name"]])
        parts.append(f'name "{name}"')
    parts.append(f'route "{url["route"]}"')
    if url["kwargs"]:
        parts.append("kwargs " + ", ".join(f"{k}={v}" for k, v in url["kwargs"].items()))
    return "  ".join(parts)


def _view_line(view: dict) -> str:
    if view["kind"] == "django":
        target = view["class"] or view["function"]
        return f"{target['path']}  (a plain Django view)"
    text = _ref(view["class"])
    if view["kind"] == "viewset":
        route = {True: "detail route", False: "list route"}.get(view["detail"], "route")
        mapping = ", ".join(f"{m}→{a}" for m, a in view["actions"].items())
        text += f"  (viewset, {route}: {mapping})"
    elif view["kind"] == "api_view":
        text = f"{_ref(view['function'])}  (an @api_view function)"
    return text


def _handler_line(handler: dict) -> str:
    method = handler["method"]
    if not handler["allowed"]:
        return f"{method} → 405 Method Not Allowed (a 401/403/429 of stages 1-3 can come first)"
    text = f"{method} → {handler['name']}"
    if handler["extra_action"]:
        text += " (@action)"
    if handler["function"]:
        text += f" → {_ref(handler['function'])}"
    elif handler["defined_by"]:
        text += f", defined by {_ref(handler['defined_by'])}"
    if handler["flow"] and handler["flow"] != handler["name"]:
        text += f", which calls {handler['flow']}()"
    return text


def _query_plan_lines(plan: dict) -> list[str]:
    """Stage 5's query plan: the values path with its columns, or the lookups added and why."""
    if plan.get("error"):
        return [f"    query plan         not known: {plan['error']}"]
    projection, prefetch = plan.get("projection") or {}, plan.get("prefetch") or {}
    if projection.get("path") == "values":
        lines = [f"    query plan         {plan['action']}: values() rows, no model instances"]
        lines.extend(_wrapped("      columns: ", projection.get("columns", [])))
        if projection.get("pk_lists"):
            lines.extend(_wrapped("      pk lists (one query each): ", projection["pk_lists"]))
        return lines
    lines = [
        f"    query plan         {plan['action']}: model instances ({projection.get('reason')})"
    ]
    if prefetch.get("applied"):
        added = [f"select_related({p!r})" for p in prefetch.get("select_related", [])]
        added += [
            f"prefetch_related({p})" if p.startswith("Prefetch(") else f"prefetch_related({p!r})"
            for p in prefetch.get("prefetch_related", [])
        ]
        lines.extend(_wrapped("      auto-prefetch added: ", added or ["nothing"]))
        for relation, why in prefetch.get("left_lazy", {}).items():
            lines.extend(_wrapped("      not joined: ", [f"{relation} ({why})"]))
        if prefetch.get("not_joined"):
            prefix = "      single relations prefetched, not joined: "
            lines.extend(
                textwrap.wrap(
                    prefix + prefetch["not_joined"], WIDTH, subsequent_indent=" " * len(prefix)
                )
            )
    else:
        lines.append(f"      auto-prefetch off: {prefetch.get('reason')}")
    if "prepared_lookup" in plan:
        reason = plan["prepared_lookup"]["reason"]
        lines.append(
            "      object lookup: through the ORM: " + reason
            if reason
            else "      object lookup: prepared SQL, compiled once (see docs/query-planning.md)"
        )
    return lines


def _stage_lines(stage: dict, report: dict) -> list[str]:
    label = "—" if stage["id"] == "exception" else stage["id"]
    lines = [f"{label:<3} {stage['title']}"]
    for key in stage["components"]:
        lines.append("    " + _component_line(key, report["components"][key]))
    if stage["id"] == "5" and report.get("query_plan"):
        lines.extend(_query_plan_lines(report["query_plan"]))
    points = stage["override_points"]
    if stage["id"] == "6" and report.get("serializer") is not None:
        # A path that never builds the serializer (DELETE, a 405) gets no field table.
        built = not points or any(point["runs"] is not False for point in points)
        lines.extend(_serializer_lines(report["serializer"], with_fields=built))
    for point in points:
        if point["overridden"]:
            mark = _mark(point["defined_by"])
            suffix = "" if point["runs"] is not False else "  (not on this path)"
            name = _point_name(point).ljust(30)
            line = f"  {mark}{name}  {point['defined_by']['path']}{suffix}"
            if len(line) > WIDTH:  # the defining class on a line of its own, under the name
                lines.append(f"  {mark}{_point_name(point)}")
                line = f"      {point['defined_by']['path']}{suffix}"
            lines.append(line)
    maybe = "on an error" if stage["id"] == "exception" else "if the handler calls it"
    groups = (("framework", True), (maybe, None), ("not on this path", False))
    for label, runs in groups:
        names = [_point_name(p) for p in points if not p["overridden"] and p["runs"] is runs]
        if names:
            lines.extend(_wrapped(f"    {label}: ", names))
    if len(lines) == 1:
        lines.append("    - (no framework code here: whatever your handler does)")
    return lines


def _component_line(key: str, component: dict) -> str:
    label = _COMPONENT_LABELS.get(key, key)
    if not component["applies"]:
        return f"{label:<18} - (not a generic view)"
    names = ", ".join(ref["name"] for ref in component["classes"]) or "none"
    line = f"{label:<18} {names.ljust(48)}  {_source_words(component)}"
    if len(line) + 4 > WIDTH:  # give up the column before breaking the line
        line = f"{label:<18} {names}  {_source_words(component)}"
    return line


def _source_words(component: dict) -> str:
    source, defined_by = component["source"], component["defined_by"]
    if source in _SOURCE_WORDS:
        return _SOURCE_WORDS[source]
    where = defined_by["path"] if defined_by else "?"
    if source == "as_view":
        return f"as_view() of {where}"
    if source == "decorator":
        return f"decorator on {where}"
    if source == "view":
        return f"{_mark(defined_by)}{where}"
    return f"framework: {where}"


def _serializer_lines(serializer: dict, with_fields: bool = True) -> list[str]:
    if serializer["class"] is None:
        return ["    serializer         none found"]
    mark = _mark(serializer["class"])
    lines = [
        f"    serializer         {mark}{serializer['class']['path']}  ({serializer['found_by']})"
    ]
    if not with_fields:
        count = len(serializer["fields"])
        lines.append(f"      {count} fields, not listed: this path never builds the serializer")
        return lines
    rows = [("field", "type", "access", "required", "source")]
    validators_of = [[]]
    for field in serializer["fields"]:
        access = (
            "read-only"
            if field["read_only"]
            else ("write-only" if field["write_only"] else "read-write")
        )
        validators = list(field["validators"])
        if field["validate_method"]:
            validators.append(f"{field['validate_method']}()")
        rows.append(
            (
                field["name"],
                _field_type(field),
                access,
                "yes" if field["required"] else "no",
                field["source"] or "",
            )
        )
        validators_of.append(validators)
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    # Validators go under the row, from the type column on: no column is wide enough.
    under = "      " + " " * (widths[0] + 2)
    for row, validators in zip(rows, validators_of):
        cells = [row[i].ljust(widths[i]) for i in range(5)]
        lines.append(("      " + "  ".join(cells)).rstrip())
        if validators:
            lines.extend(_wrapped(under + "validators: ", validators))
    if serializer["validators"]:
        lines.extend(_wrapped("      object validators: ", serializer["validators"]))
    return lines


def _field_type(field: dict) -> str:
    """The field's class; a `many=True` one as its child's with "(many)"."""
    type_name, child = field["type"]["name"], field["child"]
    if child is None:
        return type_name
    if type_name in ("ManyRelatedField", "ListSerializer"):
        return f"{child['name']} (many)"
    return f"{type_name} of {child['name']}"


def _point_name(point: dict) -> str:
    if point["on"] == "view":
        return point["method"]
    if point["on"] == "serializer":
        return f"serializer.{point['method']}"
    return f"{point['class'].rpartition('.')[2]}.{point['method']}"


def _wrapped(prefix: str, names: list[str], width: int = WIDTH) -> list[str]:
    lines, current = [], prefix
    indent = " " * len(prefix)
    for index, name in enumerate(names):
        piece = name + ("," if index < len(names) - 1 else "")
        if len(current) + len(piece) > width and current not in (prefix, indent):
            lines.append(current.rstrip())
            current = indent
        current += piece + " "
    lines.append(current.rstrip())
    return lines


def _ref(ref: dict | None) -> str:
    if ref is None:
        return "?"
    return _mark(ref) + ref["path"]


def _mark(ref: dict | None) -> str:
    """`* ` for the project's code, `+ ` for a third-party package's, nothing for restcycle's."""
    origin = (ref or {}).get("origin")
    return {"project": "* ", "third-party": "+ "}.get(origin, "")
