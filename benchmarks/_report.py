"""What the benchmark prints and saves: correctness warnings, the table, the results JSON."""

from __future__ import annotations

import json
import os
import platform
import shutil
from pathlib import Path

from .workloads import DRF, FLOOR, NINJA, RESTCYCLE, WORKLOADS_BY_NAME

# Exit codes of --check.
CHECK_OK, CHECK_DIFFERENCES = 0, 1
# How many differing statements a warning or the JSON quotes, and how much of each.
QUOTED_STATEMENTS, QUOTED_SQL_CHARS = 3, 240


def _json_equal(left: bytes, right: bytes) -> bool:
    try:
        return json.loads(left) == json.loads(right)
    except ValueError:
        return False


def _excused(workload: str, kind: str) -> dict[str, str]:
    """Implementations whose `kind` of difference from the floor is declared, with why."""
    spec = WORKLOADS_BY_NAME[workload]
    excused = {**spec.known_differences, **spec.expected_query_differences}
    if kind == "sql":
        excused.update(spec.expected_sql_differences)
    return excused


def sql_difference(result: dict, floor: dict) -> dict | None:
    """How `result`'s SQL differs from the floor's, statement by statement; None if it does not.

    Compared: the SQL text of every statement the request ran (placeholders, not values),
    in order, then the parameters' values (repr) where the text is the same.
    """
    ours, theirs = result.get("sql") or [], floor.get("sql") or []
    our_params, their_params = result.get("params") or [], floor.get("params") or []
    text_differs = [
        index
        for index in range(max(len(ours), len(theirs)))
        if index >= len(ours) or index >= len(theirs) or ours[index] != theirs[index]
    ]
    params_differ = [
        index
        for index in range(min(len(ours), len(theirs)))
        if index not in text_differs
        and index < len(our_params)
        and index < len(their_params)
        and our_params[index] != their_params[index]
    ]
    if not text_differs and not params_differ:
        return None

    def quoted(statements: list[str], index: int) -> str | None:
        return statements[index][:QUOTED_SQL_CHARS] if index < len(statements) else None

    return {
        "statements": len(ours),
        "floor_statements": len(theirs),
        "text_differs": len(text_differs),
        "params_differ": len(params_differ),
        "first_text_differences": [
            {"index": index, "sql": quoted(ours, index), "floor_sql": quoted(theirs, index)}
            for index in text_differs[:QUOTED_STATEMENTS]
        ],
        "first_params_differences": [
            {
                "index": index,
                "sql": quoted(ours, index),
                "params": our_params[index][:QUOTED_SQL_CHARS],
                "floor_params": their_params[index][:QUOTED_SQL_CHARS],
            }
            for index in params_differ[:QUOTED_STATEMENTS]
        ],
    }


def describe_sql_difference(name: str, difference: dict) -> str:
    """One line: how many statements differ, and the first one quoted."""
    parts = []
    if difference["text_differs"]:
        first = difference["first_text_differences"][0]
        parts.append(
            f"{name}: SQL text differs from the floor's in {difference['text_differs']} of "
            f"{max(difference['statements'], difference['floor_statements'])} statements "
            f"(first, #{first['index'] + 1}: {name} {first['sql']!r} / floor "
            f"{first['floor_sql']!r})"
        )
    if difference["params_differ"]:
        first = difference["first_params_differences"][0]
        parts.append(
            f"{name}: same SQL text, different parameters in {difference['params_differ']} "
            f"statements (first, #{first['index'] + 1}: {name} {first['params']} / floor "
            f"{first['floor_params']})"
        )
    return "; ".join(parts)


def sql_comparison(workload: str, results: dict[str, dict]) -> dict[str, dict | None]:
    """Per implementation, its SQL's difference from the floor's (None: the same SQL)."""
    floor = results.get(FLOOR)
    if floor is None or floor.get("status") is None:
        return {}
    return {
        name: sql_difference(result, floor)
        for name, result in results.items()
        if name != FLOOR and result.get("status") is not None
    }


def check_warnings(workload: str, results: dict[str, dict]) -> list[str]:
    """What makes this workload's comparison wrong: statuses, bodies, query counts, SQL."""
    expected = WORKLOADS_BY_NAME[workload].expected_status
    warnings = []
    healthy = {}
    for name, result in results.items():
        if result.get("error"):
            warnings.append(f"{name}: worker error {result['error']}")
        elif result.get("unsteady"):
            warnings.append(f"{name}: {result['unsteady']}")
        elif result["status"] != expected:
            warnings.append(f"{name}: status {result['status']}, expected {expected}")
        else:
            healthy[name] = result
    floor = healthy.get(FLOOR)
    for name, result in healthy.items():
        if floor is None or name == FLOOR or result["body"] == floor["body"]:
            continue
        if _json_equal(result["body"], floor["body"]):
            warnings.append(f"{name}: same JSON as the floor, different bytes")
        else:
            warnings.append(f"{name}: body differs from the floor's")
    excused_queries = _excused(workload, "queries")
    counts = {
        name: result["queries"] for name, result in healthy.items() if name not in excused_queries
    }
    if len(set(counts.values())) > 1:
        listed = ", ".join(f"{name} {count}" for name, count in counts.items())
        warnings.append(f"query counts differ: {listed}")
    if floor is not None:
        excused_sql = _excused(workload, "sql")
        for name, result in healthy.items():
            if name == FLOOR or name in excused_sql:
                continue
            difference = sql_difference(result, floor)
            if difference:
                warnings.append(describe_sql_difference(name, difference))
    return warnings


def check_notes(workload: str, results: dict[str, dict]) -> list[str]:
    """Declared differences from the floor, each said with its reason while it lasts."""
    spec = WORKLOADS_BY_NAME[workload]
    floor = results.get(FLOOR) or {}
    notes = []
    for name, note in spec.known_differences.items():
        result = results.get(name) or {}
        if result.get("status") is None or not floor:
            continue
        if result.get("queries") != floor.get("queries") or sql_difference(result, floor):
            notes.append(
                f"KNOWN, {note} ({name} {result.get('queries')} queries, "
                f"floor {floor.get('queries')})"
            )
    for name, note in spec.expected_query_differences.items():
        queries = (results.get(name) or {}).get("queries")
        if queries is not None and queries != floor.get("queries"):
            notes.append(f"{note} ({name} {queries}, floor {floor.get('queries')})")
    for name, note in spec.expected_sql_differences.items():
        result = results.get(name) or {}
        difference = sql_difference(result, floor) if result and floor else None
        if difference:
            notes.append(
                f"{note} ({name}: SQL text differs in {difference['text_differs']} "
                f"statements, parameters in {difference['params_differ']})"
            )
    return notes


def ratios(implementations: dict[str, dict]) -> dict[str, float]:
    medians = {name: r["median_us"] for name, r in implementations.items() if "median_us" in r}
    result = {}
    if FLOOR in medians:
        for name in (RESTCYCLE, DRF):
            if name in medians:
                result[f"{name}_to_floor"] = round(medians[name] / medians[FLOOR], 2)
    if FLOOR in medians and NINJA in medians:
        result["ninja_to_floor"] = round(medians[NINJA] / medians[FLOOR], 2)
    if RESTCYCLE in medians and DRF in medians:
        result["restcycle_speedup_over_drf"] = round(medians[DRF] / medians[RESTCYCLE], 2)
    return result


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(load_before: tuple[float, float, float]) -> dict:
    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }


def _cell(value, suffix: str = "") -> str:
    return "-" if value is None else f"{value}{suffix}"


def _remarks(entry: dict) -> str:
    """The warnings column: warnings first, then the notes on expected differences."""
    remarks = ["WARNING: " + "; ".join(entry["warnings"])] if entry["warnings"] else []
    remarks.extend(entry.get("notes", []))
    return "; ".join(remarks)


W = 23  # the workload column


def table(results: dict) -> str:
    """The per-workload table: medians, ratios to the floor, speed-up, query counts."""
    header = (
        f"{'workload':<{W}}{'restcycle µs':>13}{'DRF µs':>10}{'floor µs':>10}"
        f"{'rc/floor':>10}{'DRF/floor':>10}{'rc vs DRF':>10}{'ninja/floor':>12}"
        f"  {'queries rc/DRF/floor':<21}warnings"
    )
    lines = [header, "-" * len(header)]
    for name, entry in results["workloads"].items():
        impls = entry["implementations"]
        median = {key: impls.get(key, {}).get("median_us") for key in (RESTCYCLE, DRF, FLOOR)}
        queries = "/".join(
            _cell(impls.get(key, {}).get("queries")) for key in (RESTCYCLE, DRF, FLOOR)
        )
        r = entry["ratios"]
        lines.append(
            f"{name:<{W}}{_cell(median[RESTCYCLE]):>13}{_cell(median[DRF]):>10}"
            f"{_cell(median[FLOOR]):>10}{_cell(r.get('restcycle_to_floor'), 'x'):>10}"
            f"{_cell(r.get('drf_to_floor'), 'x'):>10}"
            f"{_cell(r.get('restcycle_speedup_over_drf'), 'x'):>10}"
            f"{_cell(r.get('ninja_to_floor'), 'x'):>12}  {queries:<21}" + _remarks(entry)
        )
        calibration = impls.get("floor@drf", {}).get("median_us")
        if calibration and median[FLOOR]:
            lines.append(
                f"{'':<{W}}floor in the DRF process: {calibration} µs "
                f"({calibration / median[FLOOR]:.2f}x the floor in the restcycle process)"
            )
    m = results["machine"]
    procs = results["processes"]
    lines.append("")
    clock = {"cpu": "CPU time (worker thread)", "wall": "wall-clock time"}
    lines.append(
        f"median {clock[results['settings']['clock']]} in µs per request; "
        f"{results['settings']['rounds']} rounds x "
        f"{results['settings']['batch']} requests per implementation and workload, "
        f"after {results['settings']['warmup']} warm-up requests"
    )
    if not results["settings"].get("prepared_lookups", True):
        lines.append("restcycle ran with REST_FRAMEWORK['PREPARED_LOOKUPS'] = False")
    lines.append(
        "SQL compared: the text of every statement, in order, then its parameters, against "
        "the floor's; differences are listed above as warnings, or as notes where declared"
    )
    lines.append(
        f"machine: {m['nproc']} CPUs, {m['cpu']}; load {m['loadavg_before']} -> "
        f"{m['loadavg_after']}"
    )
    for kind, info in procs.items():
        ninja = f", django-ninja {info['ninja_version']}" if info.get("ninja_version") else ""
        lines.append(
            f"{kind} process: Python {info['python']}, Django {info['django']}, "
            f"rest_framework {info['rest_framework_version']} ({info['rest_framework_file']})"
            + ninja
        )
    for name, reason in results["missing"].items():
        lines.append(f"not measured: {name}: {reason}")
    for component in ("python", "django", "orjson"):
        versions = {info[component] for info in procs.values()}
        if len(versions) > 1:
            lines.append(f"WARNING: the processes run different {component} versions: {versions}")
    return "\n".join(lines)


def markdown(results: dict) -> str:
    """The table for docs/performance.md, from a results JSON."""
    lines = [
        "| workload | restcycle µs | DRF µs | floor µs | restcycle / floor | DRF / floor "
        "| restcycle speed-up over DRF | ninja / floor | queries restcycle / DRF / floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, entry in results["workloads"].items():
        impls = entry["implementations"]
        cells = [_cell(impls.get(key, {}).get("median_us")) for key in (RESTCYCLE, DRF, FLOOR)]
        r = entry["ratios"]
        queries = " / ".join(
            _cell(impls.get(key, {}).get("queries")) for key in (RESTCYCLE, DRF, FLOOR)
        )
        warning = " ⚠ " + "; ".join(entry["warnings"]) if entry["warnings"] else ""
        warning += "".join(f" — {note}" for note in entry.get("notes", []))
        lines.append(
            f"| {name} | {' | '.join(cells)} | {_cell(r.get('restcycle_to_floor'), '×')} "
            f"| {_cell(r.get('drf_to_floor'), '×')} "
            f"| {_cell(r.get('restcycle_speedup_over_drf'), '×')} "
            f"| {_cell(r.get('ninja_to_floor'), '×')} | {queries}{warning} |"
        )
    return "\n".join(lines)


def print_differences(series, workloads: list[str]) -> None:
    """For --verbose: each series' SQL and body where it differs from the floor's."""
    floor = next(s for s in series if s.name == FLOOR)
    for workload in workloads:
        reference = floor.checks[workload]
        for s in series:
            check = s.checks.get(workload)
            if s is floor or check is None:
                continue
            if check["body"] == reference["body"] and not sql_difference(check, reference):
                continue
            print(f"== {workload}: {s.name} vs floor")
            for label, result in ((s.name, check), (FLOOR, reference)):
                print(f"-- {label}: status {result['status']}, {result['queries']} queries")
                for sql, params in zip(result["sql"], result.get("params") or result["sql"]):
                    print("   ", sql[:200], "  params:", params[:100])
                print("   body:", result["body"][:600].decode(errors="replace"))


def print_checks(series, workloads: list[str], warnings: dict, missing: dict) -> int:
    names = [s.name for s in series]
    print(f"{'workload':<{W}}" + "".join(f"{name:>22}" for name in names) + "  warnings")
    for workload in workloads:
        cells = []
        for s in series:
            check = s.checks.get(workload)
            if check is None:
                cells.append("-")
            else:
                cells.append(f"{_cell(check['status'])} / {_cell(check['queries'])} queries")
        line = f"{workload:<{W}}" + "".join(f"{cell:>22}" for cell in cells)
        results = {s.name: s.checks[workload] for s in series if workload in s.checks}
        remarks = warnings[workload] + check_notes(workload, results)
        print(line + ("  " + "; ".join(remarks) if remarks else ""))
    for name, reason in missing.items():
        print(f"not checked: {name}: {reason}")
    if any(warnings.values()):
        return CHECK_DIFFERENCES
    return CHECK_OK


def save(results: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (results["timestamp"].replace(":", "") + ".json")
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    shutil.copyfile(path, directory / "latest.json")
    return path
