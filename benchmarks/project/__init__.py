"""The benchmark project: one Django project whose API is written against `rest_framework`.

BENCH_IMPL=restcycle (the default) installs the drop-in alias first, so the API
runs on restcycle; BENCH_IMPL=drf leaves `rest_framework` to the real DRF.
"""
