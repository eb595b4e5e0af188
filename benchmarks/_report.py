"""What the benchmark prints and saves: correctness warnings, the table, the results JSON."""

from __future__ import annotations

import json
import os
import platform
import shutil
from pathlib import Path

from .workloads import DRF, FLOOR, RESTCYCLE, WORKLOADS_BY_NAME

# Exit codes of --check.
CHECK_OK, CHECK_DIFFERENCES, CHECK_RESTCYCLE_MISSING = 0, 1, 3


def _json_equal(left: bytes, right: bytes) -> bool:
    try:
        return json.loads(left) == json.loads(right)
    except ValueError:
        return False


def check_warnings(workload: str, results: dict[str, dict]) -> list[str]:
    """What makes this workload's comparison wrong: statuses, bodies, query counts."""
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
    expected_to_differ = WORKLOADS_BY_NAME[workload].expected_query_differences
    counts = {
        name: result["queries"]
        for name, result in healthy.items()
        if name not in expected_to_differ
    }
    if len(set(counts.values())) > 1:
        listed = ", ".join(f"{name} {count}" for name, count in counts.items())
        warnings.append(f"query counts differ: {listed}")
    return warnings


def check_notes(workload: str, results: dict[str, dict]) -> list[str]:
    """Query counts that differ from the floor's as the workload declares they should."""
    expected_to_differ = WORKLOADS_BY_NAME[workload].expected_query_differences
    floor = results.get(FLOOR) or {}
    notes = []
    for name, note in expected_to_differ.items():
        queries = (results.get(name) or {}).get("queries")
        if queries is not None and queries != floor.get("queries"):
            notes.append(f"{note} ({name} {queries}, floor {floor.get('queries')})")
    return notes


def ratios(implementations: dict[str, dict]) -> dict[str, float]:
    medians = {name: r["median_us"] for name, r in implementations.items() if "median_us" in r}
    result = {}
    if FLOOR in medians:
        for name in (RESTCYCLE, DRF):
            if name in medians:
                result[f"{name}_to_floor"] = round(medians[name] / medians[FLOOR], 2)
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


def table(results: dict) -> str:
    """The per-workload table: medians, ratios to the floor, speed-up, query counts."""
    header = (
        f"{'workload':<20}{'restcycle µs':>13}{'DRF µs':>10}{'floor µs':>10}"
        f"{'rc/floor':>10}{'DRF/floor':>10}{'rc vs DRF':>10}  {'queries rc/DRF/floor':<21}warnings"
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
            f"{name:<20}{_cell(median[RESTCYCLE]):>13}{_cell(median[DRF]):>10}"
            f"{_cell(median[FLOOR]):>10}{_cell(r.get('restcycle_to_floor'), 'x'):>10}"
            f"{_cell(r.get('drf_to_floor'), 'x'):>10}"
            f"{_cell(r.get('restcycle_speedup_over_drf'), 'x'):>10}  {queries:<21}"
            + _remarks(entry)
        )
        calibration = impls.get("floor@drf", {}).get("median_us")
        if calibration and median[FLOOR]:
            lines.append(
                f"{'':<20}floor in the DRF process: {calibration} µs "
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
        f"machine: {m['nproc']} CPUs, {m['cpu']}; load {m['loadavg_before']} -> "
        f"{m['loadavg_after']}"
    )
    for kind, info in procs.items():
        lines.append(
            f"{kind} process: Python {info['python']}, Django {info['django']}, "
            f"rest_framework {info['rest_framework_version']} ({info['rest_framework_file']})"
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
        "| restcycle speed-up over DRF | queries restcycle / DRF / floor |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
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
            f"| {_cell(r.get('restcycle_speedup_over_drf'), '×')} | {queries}{warning} |"
        )
    return "\n".join(lines)


def print_differences(series, workloads: list[str]) -> None:
    """For --verbose: each series' SQL and body where it differs from the floor's."""
    floor = next(s for s in series if s.name == FLOOR)
    for workload in workloads:
        reference = floor.checks[workload]
        for s in series:
            check = s.checks[workload]
            if s is floor or (
                check["body"] == reference["body"] and check["queries"] == reference["queries"]
            ):
                continue
            print(f"== {workload}: {s.name} vs floor")
            for label, result in ((s.name, check), (FLOOR, reference)):
                print(f"-- {label}: status {result['status']}, {result['queries']} queries")
                for sql in result["sql"]:
                    print("   ", sql[:200])
                print("   body:", result["body"][:600].decode(errors="replace"))


def print_checks(series, workloads: list[str], warnings: dict, missing: dict) -> int:
    names = [s.name for s in series]
    print(f"{'workload':<20}" + "".join(f"{name:>22}" for name in names) + "  warnings")
    for workload in workloads:
        cells = []
        for s in series:
            check = s.checks[workload]
            cells.append(f"{_cell(check['status'])} / {_cell(check['queries'])} queries")
        line = f"{workload:<20}" + "".join(f"{cell:>22}" for cell in cells)
        results = {s.name: s.checks[workload] for s in series}
        remarks = warnings[workload] + check_notes(workload, results)
        print(line + ("  " + "; ".join(remarks) if remarks else ""))
    for name, reason in missing.items():
        print(f"not checked: {name}: {reason}")
    if any(warnings.values()):
        return CHECK_DIFFERENCES
    if RESTCYCLE in missing and "--no-restcycle" not in missing[RESTCYCLE]:
        return CHECK_RESTCYCLE_MISSING
    return CHECK_OK


def save(results: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (results["timestamp"].replace(":", "") + ".json")
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    shutil.copyfile(path, directory / "latest.json")
    return path
