"""Find the PostgreSQL and Redis the tests may use, and print shell exports for them.

DATABASE_URL / REDIS_URL win when set; otherwise the usual local addresses are
probed. A service that is not reachable is reported on stderr and its tests are
skipped (an unreachable REDIS_URL is unset, so the tests run on the local-memory
cache), unless RESTCYCLE_REQUIRE_SERVICES=1 (CI), where that is an error.
"""

import os
import shlex
import socket
import sys
from urllib.parse import urlsplit

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def main() -> int:
    required = os.environ.get("RESTCYCLE_REQUIRE_SERVICES") == "1"
    exports = {}
    missing = []
    for name, env, default, port in (
        ("PostgreSQL", "DATABASE_URL", DEFAULT_POSTGRES, 5432),
        ("Redis", "REDIS_URL", DEFAULT_REDIS, 6379),
    ):
        url = os.environ.get(env) or default
        if reachable(url, port):
            exports["RESTCYCLE_POSTGRES_URL" if env == "DATABASE_URL" else env] = url
        else:
            missing.append(f"{name} is not reachable at {url} (set {env})")
    for line in missing:
        word = "ERROR" if required else "SKIPPING"
        print(
            f"{word}: {line}; its tests {'cannot run' if required else 'are skipped'}.",
            file=sys.stderr,
        )
    if missing and required:
        return 1
    for key, value in exports.items():
        print(f"export {key}={shlex.quote(value)}")
    if "REDIS_URL" not in exports:
        print("unset REDIS_URL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
