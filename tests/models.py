"""Models the test suite's views and serializers work on."""
