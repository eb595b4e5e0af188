"""restcycle's benchmarks: the same API served by restcycle, by DRF and by hand-written views."""
