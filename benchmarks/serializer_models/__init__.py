"""The models of the serializer micro-benchmark (benchmarks/serializers.py)."""
